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
 *
 * The glide remembers the animation it started rather than asking the element for its running
 * ones: `Element.getAnimations()` brings style and layout up to date first, and the glide runs in
 * a layout effect, right after React has changed the hop list and the Packet tab; so each hop
 * laid the page out in the middle of React's commit (a forced layout, 1–40 ms in B4p traces on
 * the loaded box) on top of the frame's own. `Animation.playState` reads no style.
 */

export const GLIDE_MS = 250;

/** The animation a glide started, as far as the glide needs it (a Web Animation; a fake in tests). */
export interface GlideAnimation {
  readonly playState: string;
  cancel(): void;
}

/** What the glide needs of the ring's element (an HTMLElement; a fake in tests). */
export interface Glidable {
  animate(keyframes: Keyframe[], options: KeyframeAnimationOptions): GlideAnimation;
}

export interface GlideOptions {
  /** prefers-reduced-motion: the ring jumps. */
  reduced: boolean;
  /** Where a glide still running has the ring now; read only then (it costs a style recalculation). */
  now: () => string;
}

/** The glide each element has under way (or had: its play state says whether it still runs). */
const glides = new WeakMap<Glidable, GlideAnimation>();

function gliding(a: GlideAnimation | undefined): a is GlideAnimation {
  return a !== undefined && (a.playState === 'running' || a.playState === 'pending');
}

/**
 * Glides `el`, whose style is already at `to`, from `from` (its previous place; null on its first
 * place, where it appears without moving). A glide still running is replaced by one from where it
 * has got to, as an interrupted CSS transition would restart.
 */
export function glide(el: Glidable, from: string | null, to: string, o: GlideOptions): void {
  const running = glides.get(el);
  glides.delete(el);
  const interrupted = gliding(running);
  const start = interrupted ? o.now() : from;
  if (interrupted) running.cancel();
  if (o.reduced || start === null || start === to) return;
  glides.set(el, el.animate([{ transform: start }, { transform: to }], { duration: GLIDE_MS, easing: 'ease' }));
}
