import { describe, expect, it } from 'vitest';
import { keepInView, scrollToShow } from './keep-in-view';
import type { ScrollItem } from './keep-in-view';

/** A scroller 300 px tall and an item whose geometry reads are counted (each one may lay the page out). */
function fixture(offsetTop: number, scrollTop = 0) {
  let reads = 0;
  const box = { scrollTop, clientHeight: 300 };
  const item: ScrollItem = {
    get offsetTop() {
      reads++;
      return offsetTop;
    },
    get offsetHeight() {
      reads++;
      return 40;
    },
  };
  const tasks: (() => void)[] = [];
  let cancelled = 0;
  const after = (task: () => void) => {
    tasks.push(task);
    return () => cancelled++;
  };
  return { box, item, tasks, after, reads: () => reads, cancelled: () => cancelled };
}

describe('scrollToShow', () => {
  it('leaves an item wholly in view, and puts one above or below the view a third of the way down', () => {
    expect(scrollToShow({ scrollTop: 100, clientHeight: 300 }, { offsetTop: 100, offsetHeight: 40 })).toBeNull();
    expect(scrollToShow({ scrollTop: 100, clientHeight: 300 }, { offsetTop: 360, offsetHeight: 40 })).toBeNull();
    expect(scrollToShow({ scrollTop: 100, clientHeight: 300 }, { offsetTop: 380, offsetHeight: 40 })).toBe(280);
    expect(scrollToShow({ scrollTop: 100, clientHeight: 300 }, { offsetTop: 60, offsetHeight: 40 })).toBe(-40);
  });
});

describe('keepInView', () => {
  it('reads no layout until the frame has been drawn, then scrolls the item into view', () => {
    const f = fixture(900);
    keepInView(f.box, () => f.item, f.after);
    expect(f.reads()).toBe(0);
    expect(f.box.scrollTop).toBe(0);
    f.tasks.forEach((t) => t());
    expect(f.box.scrollTop).toBe(800);
  });

  it('does not scroll when the item is in view, nor when there is no current item', () => {
    const f = fixture(100);
    keepInView(f.box, () => f.item, f.after);
    keepInView(f.box, () => null, f.after);
    f.tasks.forEach((t) => t());
    expect(f.box.scrollTop).toBe(0);
  });

  it('hands back the scheduler’s cancel (the next hop replaces a check not yet run)', () => {
    const f = fixture(900);
    const cancel = keepInView(f.box, () => f.item, f.after);
    cancel();
    expect(f.cancelled()).toBe(1);
  });
});
