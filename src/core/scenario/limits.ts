/**
 * Resource limits for parsing untrusted scenario text. The editor re-parses on every keystroke
 * and a share URL can carry anything, so each limit turns a pathological input into one clear
 * diagnostic instead of a hang, a stack overflow or an out-of-memory crash.
 */

/** Limits applied by `parseScenario`; tests pass smaller ones through `ParseOptions.limits`. */
export interface ParseLimits {
  /**
   * Largest text accepted, in UTF-16 code units (≈ bytes for YAML). `yaml` parses about
   * 1–2 MB/s with positions (measured: 5 MB takes ~5 s in Node), so the limit sits where a
   * parse still finishes in about a second; scenarios are hand-written or small exports.
   */
  maxChars: number;
  /** Documents (`---`-separated) read before giving up on the rest. */
  maxDocuments: number;
  /**
   * Nesting depth of one YAML doc's collections. `yaml` composes recursively and overflows the
   * stack around depth 1000, and V8 can abort (not throw) when that happens inside a regexp
   * compile, so depth is measured on the token tree before composing. Kubernetes objects nest
   * about 12 deep.
   */
  maxDepth: number;
  /** Anchors plus aliases in one YAML doc; composing many anchors costs quadratic time in `yaml`. */
  maxAnchors: number;
  /** Passed to `yaml`'s `toJS({ maxAliasCount })`: refuses alias bombs (billion laughs). */
  maxAliasCount: number;
  /** Diagnostics returned; the rest are summarised in one final warning. */
  maxDiagnostics: number;
}

/** The limits used when the caller gives none. */
export const DEFAULT_LIMITS: Readonly<ParseLimits> = {
  maxChars: 1024 * 1024,
  maxDocuments: 10_000,
  maxDepth: 64,
  maxAnchors: 1000,
  maxAliasCount: 100,
  maxDiagnostics: 1000,
};
