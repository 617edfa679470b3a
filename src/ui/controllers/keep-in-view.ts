/**
 * Keeps a list's current item in view (the hop list while a flow plays), reading layout only
 * once the frame that shows the new current item has been drawn (STYLE §11: no React here).
 *
 * Why not at once, in React's effect: the effect runs right after the commit that also changed
 * the Packet tab, the packet's label and the scrubber, so reading `offsetTop` there lays the
 * whole page out in the middle of the hop's task (a forced layout, 1–40 ms per hop in B4p traces
 * on the loaded box), and the frame that follows lays out again whatever the scroll changed.
 * After the frame the layout is clean: the reads cost nothing, and the scroll, one frame late,
 * moves only the scroller's offset (composited).
 */

/** The scroller and the item, as the check reads them (HTMLElements; fakes in tests). */
export interface ScrollBox {
  scrollTop: number;
  readonly clientHeight: number;
}
export interface ScrollItem {
  readonly offsetTop: number;
  readonly offsetHeight: number;
}

/** Where to scroll so the item shows a third of the way down; null when it is wholly in view. */
export function scrollToShow(box: ScrollBox, item: ScrollItem): number | null {
  const top = item.offsetTop;
  if (top >= box.scrollTop && top + item.offsetHeight <= box.scrollTop + box.clientHeight) return null;
  return top - box.clientHeight / 3;
}

/** Runs a task after the next frame is drawn; returns a cancel. Injected in tests. */
export type AfterPaint = (task: () => void) => () => void;

/**
 * A task posted from an animation frame callback runs after that frame's style, layout and
 * paint (rAF callbacks run before them).
 */
export const afterNextPaint: AfterPaint = (task) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(task, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

/**
 * Scrolls `box` so `item()` (looked up when the check runs: React may have moved the current
 * item meanwhile) is in view, after the next frame; returns a cancel for React's effect cleanup.
 */
export function keepInView(box: ScrollBox, item: () => ScrollItem | null, after: AfterPaint = afterNextPaint): () => void {
  return after(() => {
    const el = item();
    const to = el ? scrollToShow(box, el) : null;
    if (to !== null) box.scrollTop = to;
  });
}
