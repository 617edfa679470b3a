import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { objectList } from './object-list';

// V8's own answer to "do these objects share a hidden class?" (a natives call, allowed from here on).
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

describe('objectList', () => {
  it('is an ordinary, fresh, empty array', () => {
    const a = objectList<{ x: number }>();
    const b = objectList<{ x: number }>();
    expect(a).not.toBe(b);
    expect(Array.isArray(a)).toBe(true);
    expect(Object.getPrototypeOf(a)).toBe(Array.prototype);
    expect(a).toEqual([]);
    expect(JSON.stringify(a)).toBe('[]');
    expect(structuredClone(a)).toEqual([]);
    a.push({ x: 1 }, { x: 2 });
    expect(a).toEqual([{ x: 1 }, { x: 2 }]);
    expect(b).toEqual([]);
    expect(Object.isFrozen(a)).toBe(false);
  });

  it('has, empty, the hidden class a list of objects has (a [] literal does not)', () => {
    const filled = [{ x: 1 }];
    expect(sameMap(objectList(), filled)).toBe(true);
    const a = objectList<{ x: number }>();
    a.push({ x: 1 });
    expect(sameMap(a, filled)).toBe(true);
    expect(sameMap([], filled)).toBe(false);
  });
});
