/**
 * Every hop of the selected flow as an accessible list; choosing one focuses the canvas there.
 * The list is one Tab stop (the current hop); the arrow keys, Home and End move through it.
 */
import { memo, useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { appStore, useApp } from '../store/store';
import { selectFlow, selectHops } from '../store/selectors';
import type { PlayHop } from '../store/types';
import { keepInView } from '../controllers/keep-in-view';

const HopItem = memo(function HopItem({ h, current }: { h: PlayHop; current: boolean }) {
  const where = h.hop.device ? `${h.hop.netns} ${h.hop.device}` : h.hop.netns;
  return (
    <li className={`hs-hop${current ? ' hs-current' : ''}${h.dir === 'reply' ? ' hs-reply' : ''}`} aria-current={current ? 'step' : undefined}>
      <button type="button" tabIndex={current ? 0 : -1} onClick={() => appStore.getState().focusHop(h.i)}>
        <span className="hs-hop-stage">{h.hop.stage}</span>
        <span className="hs-hop-where">{where}</span>
        <span className="hs-hop-explain">{h.hop.explain}</span>
      </button>
    </li>
  );
});

export function HopList() {
  const hops = useApp(selectHops);
  const hop = useApp((s) => s.hop);
  const entry = useApp(selectFlow);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const c = box.current;
    const el = c?.querySelector<HTMLElement>('.hs-current');
    if (!el || !c) return;
    // Focus in the list follows the current hop (arrow keys here, or stepping from elsewhere).
    if (c.contains(document.activeElement) && document.activeElement !== el.firstElementChild) (el.firstElementChild as HTMLElement | null)?.focus({ preventScroll: true });
    // In view, from where the next frame finds it: reading its place now would lay the page out mid-commit.
    return keepInView(c, el);
  }, [hop, hops]);
  const onKeyDown = (e: KeyboardEvent) => {
    const last = hops.length - 1;
    const to = { ArrowDown: hop + 1, ArrowUp: hop - 1, Home: 0, End: last }[e.key];
    if (to === undefined || e.altKey || e.ctrlKey || e.metaKey || last < 0) return;
    e.preventDefault();
    e.stopPropagation();
    appStore.getState().focusHop(Math.max(0, Math.min(last, to)));
  };
  return (
    <section className="hs-hoplist" aria-label="Hops">
      <h2>
        Hops {entry?.flow && <span className={`hs-verdict hs-${entry.flow.verdict}`}>{entry.flow.verdict}{entry.flow.reason ? `: ${entry.flow.reason}` : ''}</span>}
      </h2>
      {entry?.error && <p className="hs-error">{entry.error}</p>}
      <div className="hs-scroll" ref={box}>
        <ol role="list" aria-label="Hop list" onKeyDown={onKeyDown}>
          {hops.map((h) => (
            <HopItem key={h.i} h={h} current={h.i === hop} />
          ))}
        </ol>
      </div>
    </section>
  );
}
