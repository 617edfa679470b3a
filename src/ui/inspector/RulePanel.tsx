/** The hop's namespace as the real tools print it, the deciding rule highlighted, evaluated rules marked. */
import { useEffect, useRef } from 'react';
import type { Hop } from '../../core/index';
import type { NetnsRenderings } from '../../worker/protocol';
import { useApp } from '../store/store';
import { selectCurrentHop } from '../store/selectors';

function pickText(hop: Hop, r: NetnsRenderings | undefined): { title: string; text: string } {
  if (!r) return { title: '', text: '' };
  const kind = hop.rule?.kind;
  if ((kind === 'nft' || hop.stage.startsWith('netfilter:nft/')) && r.nft) return { title: 'nft list ruleset', text: r.nft };
  if ((kind === 'iptables' || hop.stage.startsWith('netfilter')) && r.iptablesSave) return { title: 'iptables-save -t nat -t filter', text: r.iptablesSave };
  if (kind === 'fdb' && r.bridgeFdb) return { title: 'bridge fdb show', text: r.bridgeFdb };
  if (kind === 'route' || !r.iptablesSave) return { title: 'ip route', text: r.ipRoute };
  return { title: 'ip route', text: r.ipRoute };
}

export function RulePanel() {
  const cur = useApp(selectCurrentHop);
  const renderings = useApp((s) => s.renderings);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>('.hs-rule-hit');
    const c = box.current;
    // Measured against the box itself (offsetTop is relative to the inspector, not the <pre>), so
    // the decided rule lands a third of the way down; repeated renders leave it there.
    if (el && c) c.scrollTop += el.getBoundingClientRect().top - c.getBoundingClientRect().top - c.clientHeight / 3;
  });
  if (!cur) return <p className="hs-muted">No hop selected.</p>;
  const hop = cur.hop;
  const { title, text } = pickText(hop, renderings[hop.netns]);
  // nft listings repeat rule texts across chains and append comments: key nft lines by chain.
  const nft = title.startsWith('nft');
  const key = (chain: string | undefined, t: string) => (nft ? `${chain ?? ''}\u0000${t.replace(/ comment "[^"]*"$/, '')}` : t);
  const hit = hop.rule ? key(hop.rule.chain, hop.rule.text.trim()) : undefined;
  const evaluated = new Set((hop.rule?.evaluated ?? []).map((e) => key(e.chain, e.text.trim())));
  let chain: string | undefined;
  return (
    <section className="hs-rules" aria-label="Rules">
      <p className="hs-hop-title">
        {hop.netns}: <code>{title}</code>
        {hop.rule ? (
          <>
            {' '}
            · decided by <code className="hs-rule-ref">{hop.rule.text}</code>
          </>
        ) : (
          ' · no rule decided this hop'
        )}
      </p>
      <pre ref={box} className="hs-rule-text">
        {text.split('\n').map((line, k) => {
          chain = (nft && /^\t(?:chain|set|map) (\S+) \{$/.exec(line)?.[1]) || chain;
          const t = key(chain, line.trim());
          const cls = hit && t === hit ? 'hs-rule-hit' : evaluated.has(t) ? 'hs-rule-evaluated' : undefined;
          return (
            <span key={k} className={cls} data-mark={cls === 'hs-rule-hit' ? 'decided' : cls ? 'evaluated' : undefined}>
              {line}
              {'\n'}
            </span>
          );
        })}
      </pre>
    </section>
  );
}
