import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex } from './bytes';
import { formatPacket } from './format-packet';
import { parsePacket } from './packet-bytes';

function parsed(name: string) {
  const r = parsePacket(
    fromHex(
      readFileSync(new URL(`../../../fixtures/frames/${name}.hex`, import.meta.url), 'utf8'),
    )!,
    'eth',
  );
  if (!r.ok) throw new Error(r.error.reason);
  return r.packet;
}

describe('formatPacket', () => {
  it('prints a TCP SYN like tcpdump -v -e -n', () => {
    expect(formatPacket(parsed('tcp-syn'))).toBe(
      '02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 58: ' +
        'IP (tos 0x0, ttl 64, id 35868, offset 0, flags [DF], proto TCP (6), length 44) 10.99.0.1.51812 > 10.99.0.2.8080: ' +
        'Flags [S], seq 2809454892, win 64240, options [mss 1460], length 0',
    );
  });

  it('prints encapsulated packets on the same line', () => {
    const line = formatPacket(parsed('vxlan-icmp-echo-request'));
    expect(line).toContain(
      '10.99.0.1.41644 > 10.99.0.2.8472: VXLAN, flags [I] (0x08), vni 1: 02:00:00:00:01:0a > 02:00:00:00:01:0b',
    );
    expect(line).toMatch(
      /10\.244\.0\.0 > 10\.244\.1\.0: ICMP echo request, id 8242, seq 1, length 64$/,
    );
  });

  it('appends the payload summary', () => {
    expect(formatPacket(parsed('dns-query-a'))).toMatch(
      /UDP, length 70 "DNS 36748\+ \[1au\] A\? web\.default\.svc\.cluster\.local\."$/,
    );
  });
});
