import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, traceFlow } from '../../core/index';
import { headerBlocks } from './diff';
import { describePacket } from './describe';

const text = readFileSync(new URL('../default-scenario.yaml', import.meta.url), 'utf8');
const model = loadScenario(text).model!;
// The web pod on the other node: the flow crosses the VXLAN tunnel.
const server = model.pods.find((p) => p.name.startsWith('web-') && p.node === 'node-2')!;
const r = traceFlow(model, { from: 'pod/default/client', to: `${server.ip}:8080` });
if (!r.ok) throw new Error(r.error);
const hops = r.flow.hops;

describe('header stack diff', () => {
  it('marks the TTL a forward hop decremented, with before and after', () => {
    const i = hops.findIndex((h) => h.stage === 'forward');
    const ip = headerBlocks(hops[i]!, hops[i - 1]).find((b) => b.kind === 'ipv4')!;
    const ttl = ip.fields.find((f) => f.name === 'ttl')!;
    expect(ttl.changed).toBe(true);
    expect(ttl.before).toBe('64');
    expect(ttl.value).toBe('63');
  });

  it('shows outer headers while encapsulated and labels the envelope', () => {
    const enc = hops.find((h) => h.stage === 'encap')!;
    const blocks = headerBlocks(enc);
    expect(blocks[0]!.title).toBe('outer IPv4');
    expect(blocks[0]!.fields.every((f) => f.changed)).toBe(true);
    expect(blocks.at(-2)!.title).toBe('IPv4');
    const label = describePacket(enc.packet);
    expect(label.outer).toMatch(/^VXLAN 1 192\.168\.0\.11 → 192\.168\.0\.12$/);
    expect(label.inner).toContain(`${server.ip}:8080`);
  });
});
