/** Play, Pause, Step back, Step forward, Speed, a scrubber over the hops and the flow selector. */
import { useEffect, useRef } from 'react';
import { pause, play, stepBack, stepForward, cycleSpeed } from '../actions/registry';
import { fanOut } from '../actions/fanout';
import { perform, useEnabled } from '../actions/use-actions';
import type { Action } from '../actions/registry';
import { appStore, useApp } from '../store/store';
import { selectHops } from '../store/selectors';

const ICONS: Record<string, string> = {
  stepBack: 'M6 5h2v14H6zM20 5v14L9 12z',
  play: 'M7 5v14l12-7z',
  pause: 'M6 5h4v14H6zM14 5h4v14h-4z',
  stepForward: 'M16 5h2v14h-2zM4 5v14l11-7z',
  fanOut: 'M2 10h5v4H2zM9 4l12 3-12 3zM9 10.5l12 1.5-12 1.5zM9 14l12 3-12 3z',
};

function Icon({ id }: { id: string }) {
  const d = ICONS[id];
  return d ? (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
      <path d={d} />
    </svg>
  ) : null;
}

/** Where the focus goes when a focused control turns itself off (Play → Pause, the last Step forward → Step back…). */
const PARTNER: Record<string, Action> = { play: pause, pause: play, stepForward: stepBack, stepBack: stepForward };

function ActionButton({ action, text, pressed }: { action: Action; text?: string; pressed?: boolean }) {
  const enabled = useEnabled(action);
  const self = useRef<HTMLButtonElement>(null);
  // Focused when it was disabled: the browser drops the focus to the page (a keyboard user would
  // start again from the top), so it moves to the partner control instead.
  const focused = useRef(false);
  useEffect(() => {
    const partner = PARTNER[action.id];
    if (enabled || !focused.current || !partner) return;
    focused.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && active !== self.current) return;
    self.current?.closest('[role="toolbar"]')?.querySelector<HTMLButtonElement>(`button[aria-label="${partner.label}"]:not(:disabled)`)?.focus();
  }, [enabled, action.id]);
  return (
    <button
      ref={self}
      type="button"
      aria-label={action.label}
      title={action.label}
      disabled={!enabled}
      aria-pressed={pressed}
      onFocus={() => (focused.current = true)}
      onBlur={(e) => e.relatedTarget && (focused.current = false)}
      onClick={() => perform(action)}
    >
      <Icon id={action.id} />
      {text && <span aria-hidden="true">{text}</span>}
    </button>
  );
}

function FlowSelect() {
  const flows = useApp((s) => s.flows);
  const idx = useApp((s) => s.flowIndex);
  return (
    <select aria-label="Flow" value={idx} onChange={(e) => appStore.getState().selectFlow(Number(e.target.value))}>
      {flows.map((f, i) => (
        <option key={i} value={i}>
          {`${i + 1}. ${f.from} → ${f.to}${f.flow ? ` (${f.flow.verdict})` : ' (not traced)'}`}
        </option>
      ))}
    </select>
  );
}

function FanOutButton() {
  const n = useApp((s) => s.paths?.flows.length ?? 0);
  const on = useApp((s) => s.fanout !== null);
  return <ActionButton action={fanOut} text={n > 1 ? `All ${n}` : 'All'} pressed={on} />;
}

/**
 * The scrubber and the hop count: the only part of the bar that changes at every hop of a
 * playing flow, so the buttons and the flow selector do not re-render with it.
 */
function HopScrubber() {
  const count = useApp((s) => selectHops(s).length);
  const hop = useApp((s) => s.hop);
  return (
    <>
      <input
        type="range"
        aria-label="Hop"
        min={0}
        max={Math.max(0, count - 1)}
        value={hop}
        disabled={count === 0}
        onChange={(e) => appStore.getState().focusHop(Number(e.target.value))}
      />
      <span className="hs-hopcount" aria-live="off">
        {count ? `${hop + 1} / ${count}` : '–'}
      </span>
    </>
  );
}

export function PlaybackBar() {
  const speed = useApp((s) => s.speed);
  return (
    <div className="hs-playback" role="toolbar" aria-label="Playback">
      <ActionButton action={stepBack} />
      <ActionButton action={play} />
      <ActionButton action={pause} />
      <ActionButton action={stepForward} />
      <ActionButton action={cycleSpeed} text={`${speed}×`} />
      <FanOutButton />
      <HopScrubber />
      <FlowSelect />
    </div>
  );
}
