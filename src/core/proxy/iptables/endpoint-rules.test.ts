import { describe, expect, it } from 'vitest';
import { probabilityText } from './endpoint-rules';

describe('probabilityText', () => {
  it("prints 1/n as Go's %0.10f", () => {
    expect([2, 3, 4, 5, 6, 7, 10].map(probabilityText)).toEqual([
      '0.5000000000',
      '0.3333333333',
      '0.2500000000',
      '0.2000000000',
      '0.1666666667',
      '0.1428571429',
      '0.1000000000',
    ]);
  });

  it('rounds an exact tie to even, as Go does (JS toFixed would round up)', () => {
    expect(probabilityText(2048)).toBe('0.0004882812');
    expect(probabilityText(4096)).toBe('0.0002441406');
  });
});
