import { expect, test } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';

test('opens on the default scenario, steps hops, survives a YAML error, toggles detail @smoke', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();

  // The default scenario is drawn and its first flow plays by itself.
  await expect(app.canvas.getByText('node-1', { exact: true })).toBeVisible();
  await expect(app.canvas.getByText('server-b', { exact: true })).toBeVisible();
  await expect(app.hops.items().first()).toBeVisible();
  await expect(page.getByTestId('packet')).toBeVisible();
  await app.screenshot('01-default-scenario');

  // Step forward: the hop list and packet inspector follow.
  await app.pause();
  await app.button('Step back').click();
  const before = await app.inspector.title().textContent();
  const beforeHop = await app.hops.current().textContent();
  await app.button('Step forward').click();
  await expect(app.inspector.title()).not.toHaveText(before ?? '');
  await expect(app.hops.current()).not.toHaveText(beforeHop ?? '');
  await app.screenshot('02-stepped');

  // Keyboard: arrows step too.
  const title = await app.inspector.title().textContent();
  await page.locator('body').press('ArrowRight');
  await expect(app.inspector.title()).not.toHaveText(title ?? '');

  // A YAML error: diagnostics and a Monaco marker appear, the canvas stays.
  await app.editor.waitForMonaco();
  await expect(app.editor.textbox()).toBeAttached();
  const nodes = await app.canvasNodes().count();
  await app.editor.typeAtStart('bad: a: b\n');
  await expect(app.editor.status).toContainText('error');
  await expect(page.getByText(/Showing the last good model/)).toBeVisible();
  await expect(app.editor.monaco.locator('.squiggly-error').first()).toBeAttached();
  await expect(app.canvasNodes()).toHaveCount(nodes);
  await app.screenshot('03-yaml-error');

  // Fix it.
  await app.editor.deleteFirstLine();
  await expect(app.editor.status).toHaveText('No problems.');
  await expect(page.getByText(/Showing the last good model/)).toHaveCount(0);

  // Toggle the detail level: devices disappear, nodes and pods stay.
  await app.detailToggle().click();
  await expect(app.canvas.locator('.react-flow__node-veth')).toHaveCount(0);
  await expect(app.canvas.getByText('client', { exact: true })).toBeVisible();
  await app.screenshot('04-overview');
  await app.detailToggle().click();
  await expect(app.canvas.locator('.react-flow__node-veth')).not.toHaveCount(0);

  // The rule panel shows the node's rules for a netfilter hop.
  await app.inspector.tab('Rules').click();
  await expect(page.getByRole('region', { name: 'Rules' })).toBeVisible();

  expect(app.errors).toEqual([]);
});

test('keeps the scenario across a reload', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await app.editor.waitForMonaco();
  await app.editor.typeAtStart('# kept after reload\n');
  await expect(app.editor.status).toHaveText('No problems.');
  await page.waitForTimeout(400);
  await page.reload();
  await app.editor.waitForMonaco();
  await expect(app.editor.monaco.locator('.view-lines')).toContainText(/kept\W*after\W*reload/);
  expect(app.errors).toEqual([]);
});
