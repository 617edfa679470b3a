/** The right-hand panel: hop list on top, tabs for packet, rules and object details below. */
import type { KeyboardEvent } from 'react';
import { appStore, useApp } from '../store/store';
import type { InspectorTab } from '../store/types';
import { HopList } from './HopList';
import { ObjectDetails } from './ObjectDetails';
import { PacketInspector } from './PacketInspector';
import { RulePanel } from './RulePanel';
import { BalanceChart } from './BalanceChart';

const TABS: { id: InspectorTab; label: string }[] = [
  { id: 'packet', label: 'Packet' },
  { id: 'rules', label: 'Rules' },
  { id: 'details', label: 'Details' },
  { id: 'balance', label: 'Balance' },
];

function Panel({ tab }: { tab: InspectorTab }) {
  if (tab === 'packet') return <PacketInspector />;
  if (tab === 'rules') return <RulePanel />;
  if (tab === 'balance') return <BalanceChart />;
  return <ObjectDetails />;
}

/** The tab list's keys (WAI-ARIA tabs): arrows and Home/End select and focus a tab; the hop shortcuts stay out. */
function onTabKey(e: KeyboardEvent<HTMLDivElement>, tab: InspectorTab): void {
  const i = TABS.findIndex((t) => t.id === tab);
  const n = TABS.length;
  const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
  if (to === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  e.stopPropagation();
  appStore.getState().setTab(TABS[to]!.id);
  e.currentTarget.querySelector<HTMLElement>(`#tab-${TABS[to]!.id}`)?.focus();
}

export function Inspector() {
  const tab = useApp((s) => s.tab);
  return (
    <aside className="hs-inspector">
      <HopList />
      <div className="hs-tabs" role="tablist" aria-label="Inspector" onKeyDown={(e) => onTabKey(e, tab)}>
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} tabIndex={tab === t.id ? 0 : -1} aria-controls="hs-tabpanel" onClick={() => appStore.getState().setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="hs-tabpanel hs-scroll" id="hs-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <Panel tab={tab} />
      </div>
    </aside>
  );
}
