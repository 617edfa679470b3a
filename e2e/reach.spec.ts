import { expect, test } from '@playwright/test';
import { ReachPage } from './pages/reach';

const SCENARIO = 'netpol-default-deny.yaml';

test('Reachability: a denied cell plays its flow and stops on the policy drop @smoke', async ({ page }) => {
  const app = new ReachPage(page);
  await app.openScenario(SCENARIO);

  // Shields on the pods the policies select, naming them.
  await expect(app.shield('web')).toHaveAttribute('aria-label', /default\/allow-web-from-client.*default\/default-deny-ingress/);
  await expect(app.shield('db')).toHaveAttribute('aria-label', 'Selected by NetworkPolicy default/default-deny-ingress (ingress)');

  // …and in the pod's details.
  await app.canvas.locator('.hs-pod').filter({ hasText: 'db' }).first().click();
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Selected by NetworkPolicy default/default-deny-ingress');

  await app.openView();
  // Rows and columns as `hopscope reach` prints them, one labelled button per cell (+ DNS).
  await expect(app.grid.getByRole('rowheader')).toHaveText(['default/client', 'default/db', 'default/web']);
  await expect(app.grid.getByRole('button')).toHaveCount(12);
  await expect(app.cell('default/client', 'default/web')).toHaveAccessibleName('default/client to default/web: allowed');
  await expect(app.cell('default/client', 'default/web')).toHaveText('.');
  const denied = app.cell('default/web', 'default/db');
  await expect(denied).toHaveAccessibleName('default/web to default/db: denied by a NetworkPolicy');
  await expect(denied).toHaveText('X');
  await expect(app.status).toContainText('5 of 12 denied');

  await app.fastest();
  await denied.click();
  await expect(app.panel.locator('.hs-reach-why')).toContainText('isolated by default/default-deny-ingress');
  await expect(app.hops.items().first()).toBeVisible();

  // At the end of the walk: the drop hop is selected, the Rules tab shows its rule highlighted.
  await expect(app.inspector.tab('Rules')).toHaveAttribute('aria-selected', 'true', { timeout: 30_000 });
  await expect(app.hops.current()).toContainText('netfilter:filter/FORWARD');
  await expect(app.hops.current()).toContainText('default/default-deny-ingress');
  const rules = page.getByRole('region', { name: 'Rules' });
  const decided = rules.locator('[data-mark="decided"]');
  await expect(decided).toContainText('default deny: no policy allows it; ingress to default/db is isolated by default/default-deny-ingress');
  await expect(decided).toBeInViewport();
  await expect(page.getByRole('combobox', { name: 'Flow' })).toContainText('pod/default/web → pod/default/db:80 (dropped)');
  expect(app.errors).toEqual([]);
});

test('Reachability: controls recompute the matrix; the grid is keyboard-navigable', async ({ page }) => {
  const app = new ReachPage(page);
  await app.openScenario(SCENARIO);
  await app.openView();
  await expect(app.status).toContainText('80/TCP');

  await app.control('Protocol').selectOption('ICMP');
  await expect(app.control('Port')).toBeDisabled();
  await expect(app.status).toContainText('ICMP');

  await app.control('Protocol').selectOption('TCP');
  await app.control('Port').fill('8080');
  await app.control('Port').press('Enter');
  await expect(app.status).toContainText('8080/TCP');
  // Nothing is allowed on 8080 (default deny), and nothing listens there either.
  await expect(app.cell('default/client', 'default/web')).toHaveText('X');

  // Roving focus: one cell in the tab order, arrows move it.
  await app.cell('default/client', 'default/client').focus();
  await page.keyboard.press('ArrowRight');
  await expect(app.cell('default/client', 'default/db')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(app.cell('default/db', 'default/db')).toBeFocused();
  await expect(app.grid.locator('button[tabindex="0"]')).toHaveCount(1);
  expect(app.errors).toEqual([]);
});
