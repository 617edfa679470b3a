// A pod waiting in ContainerCreating as React renders it (server-side markup: the project has no
// DOM test environment), and its details in the inspector.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { PendingPodBox } from './pending-pod-node';
import { PendingPodDetails } from '../../inspector/PendingPodDetails';
import type { PendingPodSummary } from '../../../core/index';

const EVENT = 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "ab12": plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6';
const pod: PendingPodSummary = {
  id: 'pending:default/web-1',
  namespace: 'default',
  name: 'web-1',
  node: 'node-1',
  status: 'ContainerCreating',
  containers: [{ name: 'c', image: 'nginx', ports: ['80/TCP'] }],
  owner: 'ReplicaSet/web-5d',
  labels: { app: 'web' },
  cniError: 'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6',
  sandboxError: EVENT,
};

describe('PendingPodBox', () => {
  it('is a dashed pod box with a ContainerCreating badge, no IP, and the CNI error as its tooltip and last line', () => {
    const html = renderToStaticMarkup(<PendingPodBox data={{ pod, compact: true, ports: [] }} />);
    expect(html).toMatch(/^<div class="hs-group hs-pod hs-pending" title="Pod default\/web-1 ContainerCreating: no IP \(failed to allocate for range 0: no IP addresses available in range set: 10\.244\.0\.1-10\.244\.0\.6\)">/);
    expect(html).toContain('<strong>web-1</strong></div><div class="hs-pending-status"><span class="hs-badge hs-pending-badge">ContainerCreating</span> no IP</div>');
    expect(html).toContain('<p class="hs-pending-why">failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.6</p>');
    expect(html).not.toMatch(/hs-device|eth0/);
    expect(renderToStaticMarkup(<PendingPodBox data={{ pod, compact: false }} />)).toMatch(/^<div class="hs-group hs-pod hs-pending hs-pending-detail"/);
  });
});

describe('PendingPodDetails', () => {
  it('says it has no IP on its node, its containers wait, and gives the whole FailedCreatePodSandBox event', () => {
    const html = renderToStaticMarkup(<PendingPodDetails pod={pod} />);
    expect(html).toContain('<section class="hs-details" aria-label="Details"><h3>Pod default/web-1 <span class="hs-muted">(ContainerCreating)</span></h3>');
    expect(html).toContain('no IP on node node-1: its sandbox was not created');
    expect(html).toContain('(waiting: ContainerCreating)');
    expect(html).toContain('controlled by ReplicaSet/web-5d');
    expect(html).toContain(`<p class="hs-pending-cni">${pod.cniError}</p>`);
    expect(html).toContain(`<pre class="hs-pending-event">Warning  FailedCreatePodSandBox  kubelet  ${EVENT.replace(/"/g, '&quot;')}</pre>`);
  });
});

describe('a pod no node took', () => {
  const WHY = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
  const unscheduled: PendingPodSummary = { id: 'pending:default/a', namespace: 'default', name: 'a', status: 'Pending', containers: [{ name: 'c', image: 'nginx', ports: ['80/TCP'] }], labels: { app: 'a' }, unschedulable: WHY };
  const esc = (s: string) => s.replace(/'/g, '&#x27;');

  it('is a Pending box with no node, the scheduler’s message as its tooltip and last line', () => {
    const html = renderToStaticMarkup(<PendingPodBox data={{ pod: unscheduled, compact: true }} />);
    expect(html).toContain(`title="Pod default/a Pending: not scheduled (${esc(WHY)})"`);
    expect(html).toContain('<span class="hs-badge hs-pending-badge">Pending</span> no node, no IP');
    expect(html).toContain(`<p class="hs-pending-why">${esc(WHY)}</p>`);
  });

  it('its details say it was not scheduled and give the FailedScheduling event', () => {
    const html = renderToStaticMarkup(<PendingPodDetails pod={unscheduled} />);
    expect(html).toContain('<h3>Pod default/a <span class="hs-muted">(Pending)</span></h3>');
    expect(html).toContain('not scheduled: no node could take it');
    expect(html).not.toContain('on node');
    expect(html).toContain(`<pre class="hs-pending-event">Warning  FailedScheduling  default-scheduler  ${esc(WHY)}</pre>`);
  });
});
