// The grid and its legend as React renders them (server-side markup: the project has no DOM test
// environment): each cell's mark, class, accessible name and tooltip follow its outcome.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ReachGrid } from './ReachGrid';
import { ReachLegend } from './ReachLegend';
import { reachView } from './view-model';
import type { ReachMatrix } from '../../core/simulate/reach';

const matrix: ReachMatrix = {
  pods: ['default/a', 'default/b'],
  port: 81,
  protocol: 'TCP',
  cells: [
    [
      { allowed: true, outcome: 'allowed' },
      { allowed: false, outcome: 'policy', reason: 'filtered', explain: 'default deny: no policy allows it; ingress to default/b is isolated by default/deny.' },
    ],
    [
      { allowed: false, outcome: 'refused', reason: 'connection-refused' },
      { allowed: false, outcome: 'dropped', reason: 'no-route' },
    ],
  ],
};

/** Each cell button's attributes and text, in document order. */
function buttons(html: string): { cls: string; label: string; title: string; text: string }[] {
  return [...html.matchAll(/<button[^>]*class="([^"]*)"[^>]*aria-label="([^"]*)"[^>]*title="([^"]*)"[^>]*>([^<]*)<\/button>/g)].map((m) => ({ cls: m[1]!, label: m[2]!, title: m[3]!, text: m[4]! }));
}

describe('ReachGrid', () => {
  it('draws each outcome with its own mark, class, accessible name and tooltip', () => {
    const html = renderToStaticMarkup(<ReachGrid view={reachView(matrix)} selected={null} onProbe={() => {}} />);
    expect(buttons(html)).toEqual([
      { cls: 'hs-reach-cell hs-allow', label: 'default/a to default/a: allowed', title: 'default/a to default/a: allowed', text: '.' },
      {
        cls: 'hs-reach-cell hs-deny',
        label: 'default/a to default/b: denied by a NetworkPolicy',
        title: 'default/a to default/b: denied by a NetworkPolicy — default deny: no policy allows it; ingress to default/b is isolated by default/deny.',
        text: 'X',
      },
      { cls: 'hs-reach-cell hs-refused', label: 'default/b to default/a: refused, nothing listens', title: 'default/b to default/a: refused, nothing listens — nothing listens on that port: the kernel answers with a TCP RST', text: 'R' },
      { cls: 'hs-reach-cell hs-dropped', label: 'default/b to default/b: dropped (no route to the destination)', title: 'default/b to default/b: dropped (no route to the destination) — no route to the destination', text: '-' },
    ]);
  });
});

describe('ReachLegend', () => {
  it('has one line per mark, as `hopscope reach` prints the legend', () => {
    const html = renderToStaticMarkup(<ReachLegend />);
    expect(html).toMatch(/^<ul class="hs-reach-legend" aria-label="Legend">/);
    const items = [...html.matchAll(/<li><span class="hs-reach-cell ([^"]*)" aria-hidden="true">([^<]*)<\/span> ([^<]*)<\/li>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(items).toEqual([
      ['hs-allow', '.', 'allowed: the request reached a listening socket and the reply came back'],
      ['hs-deny', 'X', 'denied by a NetworkPolicy (the policy engine dropped it)'],
      ['hs-refused', 'R', 'refused: nothing listens on that port (TCP RST, SCTP ABORT or ICMP port unreachable)'],
      ['hs-dropped', '-', 'dropped for another reason (no route, a rule other than a policy, a lost reply): the client times out'],
    ]);
  });
});
