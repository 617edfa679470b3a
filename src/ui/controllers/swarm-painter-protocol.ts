/** Messages from the main thread to the fan-out painter worker (all small, none per frame). */
import type { SwarmStyle, View } from './swarm-draw';
import type { PackedSwarm, SwarmTiming } from './swarm-timeline';

export type PainterMessage =
  /** The layer's canvas, handed over once (transferControlToOffscreen). */
  | { type: 'init'; canvas: OffscreenCanvas }
  /** The layer's size in CSS px and the device pixel ratio. */
  | { type: 'size'; w: number; h: number; dpr: number }
  /** React Flow's viewport transform, sent when the user pans or zooms. */
  | { type: 'view'; view: View }
  /** Packets to fly from now on (replacing any in flight), with the theme's colours. */
  | { type: 'start'; swarm: PackedSwarm; timing: SwarmTiming; style: SwarmStyle }
  /** The theme changed: the colours of the dots in flight. */
  | { type: 'style'; style: SwarmStyle }
  | { type: 'stop' };
