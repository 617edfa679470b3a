/**
 * Keeps a list's current item in view (the hop list while a flow plays) without reading layout
 * (STYLE §11: no React here).
 *
 * Why not read `offsetTop` in React's effect, as before: the effect runs right after the commit
 * that also changed the Packet tab, the packet's label and the scrubber, so the read laid the
 * whole page out in the middle of the hop's task (a forced layout, 1–40 ms per hop in B4p traces
 * on the loaded box). Even after the frame, five geometry reads cost five style-and-layout checks
 * a hop. An IntersectionObserver is told the item's place by the frame's own lifecycle; the list
 * scrolls (and only then touches layout) when the item is not wholly in view.
 */

/** Where the item is against its scroller, as an IntersectionObserver entry reports it. */
export interface Visibility {
  /** The share of the item in view (1: wholly). */
  ratio: number;
  /** The item's top and the scroller's visible box, in viewport pixels. */
  top: number;
  rootTop: number;
  rootHeight: number;
}

/** How far to scroll so the item shows a third of the way down; null when it is wholly in view. */
export function scrollDelta(v: Visibility): number | null {
  if (v.ratio >= 1) return null;
  return v.top - v.rootTop - v.rootHeight / 3;
}

/** Reports `target`'s visibility in `root` once, after the next frame; returns a cancel. */
export type WatchVisibility = (root: Element, target: Element, report: (v: Visibility) => void) => () => void;

export const observeOnce: WatchVisibility = (root, target, report) => {
  const io = new IntersectionObserver(
    (entries) => {
      const e = entries[entries.length - 1];
      io.disconnect();
      if (e?.rootBounds) report({ ratio: e.isIntersecting ? e.intersectionRatio : 0, top: e.boundingClientRect.top, rootTop: e.rootBounds.top, rootHeight: e.rootBounds.height });
    },
    { root, threshold: 1 },
  );
  io.observe(target);
  return () => io.disconnect();
};

/** Scrolls `box` so `item` is in view once its place is known; returns a cancel for React's effect cleanup. */
export function keepInView(box: Element, item: Element, watch: WatchVisibility = observeOnce): () => void {
  return watch(box, item, (v) => {
    const dy = scrollDelta(v);
    if (dy !== null) box.scrollBy(0, dy);
  });
}
