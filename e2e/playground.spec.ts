import { expect, test } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';

test('opens on the default scenario, steps hops, survives a YAML error, toggles detail @smoke', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();

  // The default scenario is drawn and its first flow plays by itself.
  await expect(app.canvas.getByText('node-1', { exact: true })).toBeVisible();
  await expect(app.canvas.getByText('client', { exact: true })).toBeVisible();
  await expect(app.canvas.locator('.react-flow__node-service').filter({ hasText: 'web' })).toBeVisible();
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

test('draws Services as virtual IPs on no device, dashed to their endpoints, at both levels', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  const web = app.canvas.locator('.react-flow__node-service').filter({ hasText: 'web' });
  await expect(web).toBeVisible();
  await expect(web).toContainText(/10\.\d+\.\d+\.\d+:80→http/);
  await expect(web).toContainText('2/2 endpoints ready');
  // In the service-network band, not inside any Kubernetes node, pod or device.
  await expect(app.canvas.locator('.react-flow__node-svcnet')).toContainText('no device, no route');
  const box = (await web.boundingBox())!;
  for (const n of await app.canvas.locator('.react-flow__node-k8sNode').all()) {
    const b = (await n.boundingBox())!;
    expect(box.y + box.height <= b.y || box.x + box.width <= b.x || box.x >= b.x + b.width).toBe(true);
  }
  await expect(app.canvas.locator('.react-flow__edge.edge-service')).toHaveCount(3); // kubernetes → node-1, web → 2 pods
  await app.screenshot('05-services');
  // Details of a Service: its ClusterIP and endpoints.
  await app.pause();
  await web.click();
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('a virtual IP');
  // The DNAT hop lights the Service up.
  await app.hops.items().filter({ hasText: 'DNAT rewrites the destination' }).first().getByRole('button').click();
  // The camera pans to the hop (node-1's bridge, a 300 ms animation), and the canvas renders only
  // what is on screen (onlyRenderVisibleElements): once the pan ends, the Service box above may
  // not be in the DOM. Zoom out (React Flow's own control; its fit view fits only mounted nodes)
  // until the Service is on screen, and see it lit.
  await expect(async () => {
    await app.canvas.getByRole('button', { name: 'zoom out' }).click();
    await expect(web.locator('.hs-service-active')).toBeAttached({ timeout: 1_000 });
  }).toPass();
  // Overview keeps them.
  await app.detailToggle().click();
  await expect(web).toBeVisible();
  await expect(app.canvas.locator('.react-flow__edge.edge-service')).toHaveCount(3);
  expect(app.errors).toEqual([]);
});

test('plays all 100 requests at once and charts them per endpoint', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  const all = page.getByRole('button', { name: 'Play all requests' });
  await expect(all).toBeEnabled();
  await all.click();
  // Packets are in flight and drawn.
  await expect(page.getByTestId('fanout')).toHaveAttribute('data-inflight', /^[1-9]\d*$/);
  await expect.poll(() => app.fanoutDrawn()).toBeGreaterThan(0);
  const chart = page.getByRole('list', { name: 'Requests per endpoint' });
  await expect(chart.getByRole('listitem')).toHaveCount(2);
  await page.waitForTimeout(1500);
  await app.screenshot('06-fanout-balance');
  const counts = (await chart.getByRole('listitem').allTextContents()).map((t) => Number(/ (\d+) \(/.exec(t)?.[1]));
  expect(counts.reduce((a, c) => a + c, 0)).toBe(100);
  for (const c of counts) expect(c).toBeGreaterThan(20);
  // Packets arrive and the live bars follow.
  await expect(chart).toContainText(/[1-9]\d* arrived/);
  expect(app.errors).toEqual([]);
});

test('dark theme and large text stay usable at 1280×720 and at 3840×2160 @smoke', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.open();
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.getByRole('button', { name: 'Large text' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.waitForTimeout(600);
  await app.screenshot('07-dark-large-1280x720');
  // Keyboard: the first Tab stops are visible controls with a focus ring.
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toBeVisible();
  expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.getByRole('button', { name: 'Large text' }).click();
  await page.waitForTimeout(800);
  await app.screenshot('08-dark-3840x2160');
  const web = app.canvas.locator('.react-flow__node-service').filter({ hasText: 'web' });
  expect((await web.boundingBox())!.width).toBeGreaterThan(240); // zoomed in to fill a 4K stage
  expect(app.errors).toEqual([]);
});
