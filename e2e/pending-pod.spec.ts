import { expect, test } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';

/**
 * A Deployment scaled past its node's pod range: one bridge node whose /29 leaves 5 pod
 * addresses, 8 replicas. The 3 pods whose CNI ADD finds no address wait in ContainerCreating.
 */
const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: small}
spec:
  nodes: 1
  podCIDR: 10.244.0.0/16
  nodeCIDRMaskSize: 29
  dns: false
  cni: {plugin: bridge}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 8
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`;

const WHY = 'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6';

test('pods left ContainerCreating by an exhausted pod range are drawn on their node, with the reason', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new PlaygroundPage(page);
  await page.goto(`/#s=0.${Buffer.from(SCENARIO, 'utf8').toString('base64url')}`);
  await expect(app.canvasNodes()).not.toHaveCount(0);

  // Warnings, not errors: the cluster is built and drawn.
  const diags = page.getByRole('region', { name: 'Diagnostics' });
  await expect(diags.getByRole('status')).toHaveText('0 error(s), 3 warning(s)');
  await expect(diags.getByRole('button', { name: /warning: pod default\/web-\S+ on node-1: Failed to create pod sandbox/ })).toHaveCount(3);

  const waiting = app.canvas.getByRole('group', { name: /^Pod default\/web-\S+ ContainerCreating: no IP \(/ });
  await expect(waiting.first()).toBeInViewport();
  await app.screenshot('pending-pods-open');
  await waiting.first().screenshot({ path: 'test-results/pending-pod-box.png' });
  // Zoomed out until the whole node is on screen (the canvas mounts only what is on screen, and
  // React Flow's Fit View fits only the nodes it has measured).
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  await expect.poll(async () => {
    const n = await waiting.count();
    if (n < 3) await zoomOut.click();
    return n;
  }).toBe(3);
  await expect(waiting.first()).toHaveAccessibleName(new RegExp(`ContainerCreating: no IP \\(${WHY.replace(/[.]/g, '\\.')}\\)$`));
  await expect(waiting.first().locator('.hs-pending-badge')).toHaveText('ContainerCreating');
  await expect(app.canvas.locator('.hs-pod:not(.hs-pending)')).toHaveCount(5);
  // Inside the node's box, like the running pods.
  const node = (await app.canvas.locator('.react-flow__node-k8sNode').boundingBox())!;
  for (const box of await Promise.all((await waiting.all()).map((w) => w.boundingBox()))) {
    expect(box!.x).toBeGreaterThanOrEqual(node.x);
    expect(box!.x + box!.width).toBeLessThanOrEqual(node.x + node.width + 0.5);
  }
  await app.screenshot('pending-pods-all');

  // Keyboard: focus one and press Enter; the details give the whole event.
  await waiting.first().focus();
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details).toContainText(/Pod default\/web-\S+ \(ContainerCreating\)/);
  await expect(details).toContainText(`no IP on node node-1`);
  await expect(details).toContainText(WHY);
  await expect(details.locator('pre')).toContainText(/FailedCreatePodSandBox +kubelet +Failed to create pod sandbox: rpc error/);
  expect(app.errors).toEqual([]);
});

/** Two nodes and three replicas of a hostPort pod: the third finds its port taken on both nodes. */
const HOSTPORT = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: two}
spec:
  nodes: 2
  dns: false
  cni: {plugin: flannel}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]}
`;

test('a pod no node can take is drawn Pending in the Unscheduled tray, focusable, with the scheduler’s reason', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = new PlaygroundPage(page);
  await page.goto(`/#s=0.${Buffer.from(HOSTPORT, 'utf8').toString('base64url')}`);
  await expect(app.canvasNodes()).not.toHaveCount(0);
  const diags = page.getByRole('region', { name: 'Diagnostics' });
  await expect(diags.getByRole('status')).toHaveText('0 error(s), 1 warning(s)');

  const tray = app.canvas.locator('.react-flow__node-unscheduled');
  const pod = app.canvas.getByRole('group', { name: /^Pod default\/web-\S+ Pending: not scheduled \(0\/2 nodes are available: 2 node\(s\) didn't have free ports/ });
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  await expect.poll(async () => {
    const n = await pod.count();
    if (n < 1) await zoomOut.click();
    return n;
  }).toBe(1);
  await expect(tray).toContainText('Unscheduled');
  await expect(pod.locator('.hs-pending-badge')).toHaveText('Pending');
  // Inside the tray, apart from both nodes.
  const t = (await tray.boundingBox())!;
  const p = (await pod.boundingBox())!;
  expect(p.x).toBeGreaterThanOrEqual(t.x);
  expect(p.x + p.width).toBeLessThanOrEqual(t.x + t.width + 0.5);
  for (const n of await app.canvas.locator('.react-flow__node-k8sNode').all()) {
    const b = (await n.boundingBox())!;
    expect(b.x + b.width <= t.x || t.x + t.width <= b.x).toBe(true);
  }
  await app.screenshot('unscheduled-pod');

  await pod.focus();
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details).toContainText(/Pod default\/web-\S+ \(Pending\)/);
  await expect(details).toContainText('not scheduled: no node could take it');
  await expect(details.locator('pre')).toContainText(/FailedScheduling +default-scheduler +0\/2 nodes are available/);
  expect(app.errors).toEqual([]);
});
