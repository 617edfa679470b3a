/** How the diagnostics list reaches the editor (Monaco once loaded) without holding it. */
let revealer: ((line: number, col: number) => void) | null = null;

export function setRevealer(f: ((line: number, col: number) => void) | null): void {
  revealer = f;
}

/** Puts the cursor at a 1-based line and column, in view, and focuses the editor. */
export function revealInEditor(line: number, col: number): void {
  revealer?.(line, col);
}
