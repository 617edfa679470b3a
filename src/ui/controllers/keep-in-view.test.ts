import { describe, expect, it } from 'vitest';
import { keepInView, scrollDelta } from './keep-in-view';
import type { Visibility, WatchVisibility } from './keep-in-view';

/**
 * A scroller whose scrolls are recorded, and a watcher that answers when told to. The scroller
 * has no geometry to read: reading it would lay the page out.
 */
function fixture() {
  const scrolls: number[] = [];
  const box = { scrollBy: (_x: number, y: number) => scrolls.push(y) } as unknown as Element;
  const item = {} as Element;
  const pending: ((v: Visibility) => void)[] = [];
  let cancelled = 0;
  const watch: WatchVisibility = (root, target, report) => {
    expect(root).toBe(box);
    expect(target).toBe(item);
    pending.push(report);
    return () => cancelled++;
  };
  return { box, item, scrolls, watch, answer: (v: Visibility) => pending.forEach((r) => r(v)), cancelled: () => cancelled };
}

describe('scrollDelta', () => {
  it('leaves an item wholly in view, and brings one partly or wholly out of view a third of the way down', () => {
    expect(scrollDelta({ ratio: 1, top: 150, rootTop: 100, rootHeight: 300 })).toBeNull();
    expect(scrollDelta({ ratio: 0.5, top: 380, rootTop: 100, rootHeight: 300 })).toBe(180);
    expect(scrollDelta({ ratio: 0, top: 900, rootTop: 100, rootHeight: 300 })).toBe(700);
    expect(scrollDelta({ ratio: 0, top: -200, rootTop: 100, rootHeight: 300 })).toBe(-400);
  });
});

describe('keepInView', () => {
  it('scrolls nothing until the item’s place is reported, then scrolls by what it takes', () => {
    const f = fixture();
    keepInView(f.box, f.item, f.watch);
    expect(f.scrolls).toEqual([]);
    f.answer({ ratio: 0, top: 900, rootTop: 100, rootHeight: 300 });
    expect(f.scrolls).toEqual([700]);
  });

  it('does not scroll when the item is wholly in view', () => {
    const f = fixture();
    keepInView(f.box, f.item, f.watch);
    f.answer({ ratio: 1, top: 150, rootTop: 100, rootHeight: 300 });
    expect(f.scrolls).toEqual([]);
  });

  it('hands back the watcher’s cancel (the next hop replaces a check not yet answered)', () => {
    const f = fixture();
    keepInView(f.box, f.item, f.watch)();
    expect(f.cancelled()).toBe(1);
  });
});
