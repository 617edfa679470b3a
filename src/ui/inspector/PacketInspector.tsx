/** The header stack at the selected hop; fields this hop changed are highlighted with before → after. */
import { useApp } from '../store/store';
import { selectCurrentHop, selectPreviousHop } from '../store/selectors';
import { headerBlocks } from '../packet/diff';

export function PacketInspector() {
  const cur = useApp(selectCurrentHop);
  const prev = useApp(selectPreviousHop);
  if (!cur) return <p className="hs-muted">No hop selected.</p>;
  const blocks = headerBlocks(cur.hop, prev?.dir === cur.dir ? prev.hop : undefined);
  return (
    <section className="hs-packet-inspector" aria-label="Packet inspector">
      <p className="hs-hop-title">
        <strong>#{cur.i + 1}</strong> {cur.dir} · {cur.hop.stage} · {cur.hop.netns}
        {cur.hop.device ? ` ${cur.hop.device}` : ''}
      </p>
      {blocks.map((b, k) => (
        <div key={k} className={`hs-header-block${b.outer ? ' hs-outer' : ''}`}>
          <h3>{b.title}</h3>
          <dl>
            {b.fields.map((f) => (
              <div key={f.name} className={f.changed ? 'hs-changed' : undefined}>
                <dt>{f.name}</dt>
                <dd>
                  {f.before !== undefined && (
                    <>
                      <del>{f.before}</del> →{' '}
                    </>
                  )}
                  {f.value}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      <p className="hs-muted">
        payload: {cur.hop.packet.payload.summary} ({cur.hop.packet.payload.length} B)
      </p>
    </section>
  );
}
