import { expect, test } from '@playwright/test';
import { PlaygroundPage } from './pages/playground';
import { ComparePanel, TerminalPanel } from './pages/terminal';

// A client pod, a Deployment behind a Service, Flannel VXLAN on two nodes, cluster DNS on.
const SCENARIO = `apiVersion: hopscope/v1alpha1
kind: Cluster
metadata: {name: e2e-terminal}
spec: {nodes: 2, cni: {plugin: flannel, backend: vxlan}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: shell, image: alpine}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server}
spec: {nodeName: node-2, containers: [{name: http, image: python, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: service-test}
spec:
  replicas: 2
  selector: {matchLabels: {app: service-test}}
  template:
    metadata: {labels: {app: service-test}}
    spec: {containers: [{name: http, image: python, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: service-test}
spec: {selector: {app: service-test}, ports: [{port: 80, targetPort: 8080}]}
`;

const url = `/#s=0.${Buffer.from(SCENARIO, 'utf8').toString('base64url')}`;

test.beforeEach(async ({ page }) => {
  await page.goto(url);
  await expect(new PlaygroundPage(page).canvasNodes()).not.toHaveCount(0);
});

test('curl http://service-test in a pod terminal prints the answer and animates the flow @smoke', async ({ page }) => {
  const app = new PlaygroundPage(page);
  const term = new TerminalPanel(page);
  await term.open();
  await term.standOn(/^pod\/default\/client\//);
  await term.type('curl http://service-test\n');
  await expect(term.text()).toContainText(/Hello from service-test-/);
  await expect(app.hops.items()).not.toHaveCount(0);
  await expect(app.button('Pause')).toBeEnabled();
  expect(app.errors).toEqual([]);
});

test('Tab completes a pod name; Esc then Tab leaves the terminal', async ({ page }) => {
  const term = new TerminalPanel(page);
  await term.open();
  await term.type('kubectl get pods cli\t');
  await expect(term.text()).toContainText('kubectl get pods client');
  await term.type('\n');
  await expect(term.text()).toContainText(/client +1\/1 +Running/);
  // Tab completes, so Tab alone never leaves: Esc then Tab (or Shift+Tab) does, as in the editor.
  const input = page.getByRole('textbox', { name: 'Terminal input' });
  await expect(input).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('toolbar', { name: 'Playback' }).locator(':focus')).toHaveCount(1);
  await input.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await expect(term.place).toBeFocused();
});

test('comparing Flannel and Calico on one flow shows the hop-count difference', async ({ page }) => {
  const cmp = new ComparePanel(page);
  await cmp.compare('cni.plugin=calico cni.backend=bgp', 'pod/client', 'pod/default/server:8080');
  await expect(cmp.summaryRow('Hops')).toHaveAttribute('data-differs', 'true');
  // Flannel VXLAN (A) walks through flannel.1 on both nodes; Calico BGP (B) routes directly.
  const a = await cmp.hops('A').count();
  const b = await cmp.hops('B').count();
  expect(a).toBeGreaterThan(b);
  await expect(cmp.summaryRow('Hops')).toContainText(String(a));
  await expect(cmp.summaryRow('Encapsulation bytes')).toContainText('50');
});
