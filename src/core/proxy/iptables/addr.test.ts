import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cidrContains, joinHostPort, parseCidr, parseIp } from './addr';

describe('parseIp', () => {
  it('reads IPv4 octets with leading zeros as decimal (sloppy), never octal', () => {
    expect(parseIp('172.30.0.041')?.text).toBe('172.30.0.41');
    expect(parseIp('10.180.00.001')?.text).toBe('10.180.0.1');
    expect(parseIp('192.168.099.022')?.text).toBe('192.168.99.22');
  });

  it('rejects what is not an address', () => {
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.256',
      '1.2.3.4/32',
      'fe80::1%eth0',
      '1::2::3',
      'None',
      'g::1',
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('writes IPv6 canonically (RFC 5952, as Go does)', () => {
    expect(parseIp('FD00:0010:0180:0000:0000:0000:0000:0001')?.text).toBe('fd00:10:180::1');
    expect(parseIp('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(parseIp('2001:db8:0:1:1:1:1:1')?.text).toBe('2001:db8:0:1:1:1:1:1');
    expect(parseIp('::')?.text).toBe('::');
    expect(parseIp('::1')?.text).toBe('::1');
    expect(parseIp('64:ff9b::192.0.2.33')?.text).toBe('64:ff9b::c000:221');
  });

  it('treats IPv4-mapped IPv6 as IPv4, like Go', () => {
    expect(parseIp('::ffff:10.0.0.1')).toMatchObject({ family: 'IPv4', text: '10.0.0.1' });
  });
});

describe('parseCidr', () => {
  it('is sloppy about leading zeros and clears host bits', () => {
    expect(parseCidr('203.0.113.000/025')?.text).toBe('203.0.113.0/25');
    expect(parseCidr(' 203.0.113.7/25')?.text).toBe('203.0.113.0/25');
    expect(parseCidr('fd00:10::1/64')?.text).toBe('fd00:10::/64');
  });

  it('rejects bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0')).toBeNull();
    expect(parseCidr('::/129')).toBeNull();
  });

  it('contains only addresses of its own family', () => {
    const v4 = parseCidr('10.0.0.0/8')!;
    expect(cidrContains(v4, parseIp('10.1.2.3')!)).toBe(true);
    expect(cidrContains(v4, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('10.1.2.3')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('10.1.2.3')!)).toBe(true);
  });
});

describe('joinHostPort', () => {
  it('brackets IPv6', () => {
    expect(joinHostPort(parseIp('10.0.0.1')!, 80)).toBe('10.0.0.1:80');
    expect(joinHostPort(parseIp('fd00::1')!, 80)).toBe('[fd00::1]:80');
  });
});

/** The IPv4 reading as it was: split, a regex per part, BigInt arithmetic. */
function referenceIPv4(s: string): { value: bigint; text: string } | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,10}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return { value: v, text: [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 255n)).join('.') };
}

describe('parseIp, IPv4 read a character at a time', () => {
  it('agrees with the split-and-regex reading on random dotted text', () => {
    const text = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '25', '255', '256', '007', '.', '.', 'x', ' ', '12345678901'), { maxLength: 9 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const got = parseIp(t);
        const want = referenceIPv4(t.trim());
        expect(got === null ? null : { value: got.value, text: got.text }).toEqual(want);
      }),
      { numRuns: 5000 },
    );
  });
});
