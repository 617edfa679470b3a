/**
 * The hop ring's glide from one device to the next (STYLE §11: no React here).
 *
 * The ring's place is its own `transform`, which React writes; the glide is a Web Animation from
 * where the ring was to that place, with no fill. Why not a CSS transition on `transform`, as
 * before: when a transition ends Chromium gives the transform back to the main thread, and that
 * frame re-layerizes the whole page (the compositor's layer assignment over every paint chunk:
 * about 2.4 ms with 200 edges on screen), a second time each hop. A fill-less animation whose
 * last keyframe is the element's own style ends with nothing to hand back. Measured in headless
 * Chromium on the B4p canvas, main-thread Layerize per ring move: 2.1–5.6 ms with the transition,
 * 0.02 ms with this.
 */

export const GLIDE_MS = 250;

/** What the glide needs of the ring's element (an HTMLElement; a fake in tests). */
export interface Glidable {
  getAnimations(): { cancel(): void }[];
  animate(keyframes: Keyframe[], options: KeyframeAnimationOptions): unknown;
}

export interface GlideOptions {
  /** prefers-reduced-motion: the ring jumps. */
  reduced: boolean;
  /** Where a glide still running has the ring now; read only then (it costs a style recalculation). */
  now: () => string;
}

/**
 * Glides `el`, whose style is already at `to`, from `from` (its previous place; null on its first
 * place, where it appears without moving). A glide still running is replaced by one from where it
 * has got to, as an interrupted CSS transition would restart.
 */
export function glide(el: Glidable, from: string | null, to: string, o: GlideOptions): void {
  const running = el.getAnimations();
  const start = running.length > 0 ? o.now() : from;
  for (const a of running) a.cancel();
  if (o.reduced || start === null || start === to) return;
  el.animate([{ transform: start }, { transform: to }], { duration: GLIDE_MS, easing: 'ease' });
}
