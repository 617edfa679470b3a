/** The right-hand panel: hop list on top, tabs for packet, rules and object details below. */
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

export function Inspector() {
  const tab = useApp((s) => s.tab);
  return (
    <aside className="hs-inspector">
      <HopList />
      <div className="hs-tabs" role="tablist" aria-label="Inspector">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls="hs-tabpanel" onClick={() => appStore.getState().setTab(t.id)}>
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
