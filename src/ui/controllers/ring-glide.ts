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
 * The glide holds the ring at its end for HOLD_MS before it finishes, so that at the usual
 * cadence the next hop replaces it first: a glide that finished between hops cost its own
 * main-thread frames (Blink wakes up to see it finish) and a full re-layerization once the
 * compositor no longer animated the ring (B4p trace: 4–5 frames and a 1.5–2.3 ms Layerize of
 * CPU, about 280 ms after each hop); replacing it happens in the hop's own frame, which
 * re-layerizes anyway. HOLD_MS covers a move at the slowest speed (0.5×: 1.4 s).
 *
 * The glide remembers the animation it started rather than asking the element for its running
 * ones: `Element.getAnimations()` brings style and layout up to date first, and the glide runs in
 * a layout effect, right after React has changed the hop list and the Packet tab; so each hop
 * laid the page out in the middle of React's commit (a forced layout, 1–40 ms in B4p traces on
 * the loaded box) on top of the frame's own. `Animation.playState` reads no style.
 */

export const GLIDE_MS = 250;
export const HOLD_MS = 1500;

/** The animation a glide started, as far as the glide needs it (a Web Animation; a fake in tests). */
export interface GlideAnimation {
  readonly playState: string;
  /** ms since it started (reading it reads no style, unlike the ring's computed transform). */
  readonly currentTime: CSSNumberish | null;
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

function running(a: GlideAnimation | undefined): a is GlideAnimation {
  return a !== undefined && (a.playState === 'running' || a.playState === 'pending');
}

/** Still on its way (not yet holding its end). */
function moving(a: GlideAnimation): boolean {
  const t = a.currentTime;
  return typeof t !== 'number' || t < GLIDE_MS;
}

/**
 * Glides `el`, whose style is already at `to`, from `from` (its previous place; null on its first
 * place, where it appears without moving). A glide still on its way is replaced by one from where
 * it has got to, as an interrupted CSS transition would restart; one holding its end, from there.
 */
export function glide(el: Glidable, from: string | null, to: string, o: GlideOptions): void {
  const last = glides.get(el);
  glides.delete(el);
  const live = running(last);
  const start = live && moving(last) ? o.now() : from;
  if (live) last.cancel();
  if (o.reduced || start === null || start === to) return;
  const total = GLIDE_MS + HOLD_MS;
  const keyframes = [{ transform: start, offset: 0, easing: 'ease' }, { transform: to, offset: GLIDE_MS / total }, { transform: to, offset: 1 }];
  glides.set(el, el.animate(keyframes, { duration: total }));
}
