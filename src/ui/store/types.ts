/** The UI store's slices (STYLE §10): UI state plus the worker's last result, never a second model. */
import type { Diagnostic, Hop, ModelSummary } from '../../core/index';
import type { WorkspaceSlice } from '../share/workspace-slice';
import type { LessonSlice } from '../lessons/lesson-slice';
// issue 8: the Reachability view's slice
import type { ReachSlice } from '../reach/reach-slice';
import type { FlowEntry, FlowPaths, LoadResponse, NetnsRenderings, RequestTally } from '../../worker/protocol';

export type Detail = 'overview' | 'detail';
export type Theme = 'light' | 'dark';
export type InspectorTab = 'packet' | 'rules' | 'details' | 'balance';

export interface ScenarioSlice {
  text: string;
  setText(text: string): void;
}

export interface ResultSlice {
  summary: ModelSummary | null;
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  /** The text has errors and the canvas shows the last good model. */
  stale: boolean;
  renderings: Record<string, NetnsRenderings>;
  pods: string;
  compiling: boolean;
  compileMs: number;
  /** The edit (bridge sequence number) whose compile is on screen; 0 before any edit. */
  appliedEdit: number;
  /** A visible notice from the worker client (restart after a crash or watchdog). */
  notice: string | null;
  applyLoad(r: LoadResponse): void;
  setCompiling(v: boolean): void;
  setNotice(n: string | null): void;
}

export interface FlowsSlice {
  flows: FlowEntry[];
  /** Per-endpoint answers of each Traffic request run whole (the 50/50 experiment). */
  tallies: RequestTally[];
  /** The whole run as compact paths (the fan-out animation), null until traced. */
  paths: FlowPaths | null;
  flowIndex: number;
  /** Replaces the flows; keeps the selected flow and hop when they still exist (a recompile). */
  setFlows(flows: FlowEntry[]): void;
  selectFlow(i: number): void;
}

/** A fan-out of the whole Traffic run: every path at once (the load-balancing demo). */
export interface Fanout {
  /** Restart packets when they finish (benchmarks keep N in flight). */
  loop: boolean;
  /** At most this many packets. */
  max: number;
}

export interface PlaybackSlice {
  fanout: Fanout | null;
  /** Answers per endpoint counted as fan-out packets arrive (the chart's live bars). */
  arrived: Record<string, number>;
  /** Index into the selected flow's request + reply hops. */
  hop: number;
  playing: boolean;
  speed: number;
  setHop(i: number): void;
  setPlaying(v: boolean): void;
  setSpeed(s: number): void;
}

export interface SelectionSlice {
  /** A netns id or a device id (`netns#dev`) the user clicked. */
  selected: string | null;
  tab: InspectorTab;
  select(id: string | null): void;
  /** Bumped to ask the canvas to centre on the current hop. */
  focusNonce: number;
  focusHop(i: number): void;
  setTab(t: InspectorTab): void;
}

export interface ViewSlice {
  detail: Detail;
  /** Draw kube-system pods (CoreDNS …) on the canvas. */
  systemPods: boolean;
  setSystemPods(v: boolean): void;
  theme: Theme;
  largeText: boolean;
  setDetail(d: Detail): void;
  setTheme(t: Theme): void;
  setLargeText(v: boolean): void;
}

export type AppState = ScenarioSlice & ResultSlice & FlowsSlice & PlaybackSlice & SelectionSlice & ViewSlice & WorkspaceSlice & LessonSlice & ReachSlice;

/** A hop of a flow with the direction it belongs to. */
export interface PlayHop {
  hop: Hop;
  dir: 'request' | 'reply';
  /** Index in the flat request+reply list. */
  i: number;
}
