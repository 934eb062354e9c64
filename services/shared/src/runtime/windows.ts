/** Pure window arithmetic: epoch-aligned tumbling and hopping windows over event time (ms). */

export const MINUTE_MS = 60_000;

export interface WindowSpec {
  readonly name: string;
  readonly sizeMs: number;
  readonly advanceMs: number;
}

export interface WindowBounds {
  readonly startMs: number;
  readonly endMs: number;
}

/** A window being closed: its bounds and the name of its spec. */
export interface ClosedWindow extends WindowBounds {
  readonly name: string;
}

/** Start of the step-aligned interval holding ts; floors towards -infinity so negative times align too. */
export function alignDown(ts: number, stepMs: number): number {
  return Math.floor(ts / stepMs) * stepMs;
}

export function tumbling(name: string, sizeMs: number): WindowSpec {
  return { name, sizeMs, advanceMs: sizeMs };
}

export function hopping(name: string, sizeMs: number, advanceMs: number): WindowSpec {
  return { name, sizeMs, advanceMs };
}

/** Every window of `spec` that holds ts (start <= ts < end), oldest first. */
export function windowsContaining(ts: number, spec: WindowSpec): WindowBounds[] {
  const out: WindowBounds[] = [];
  const lastStart = alignDown(ts, spec.advanceMs);
  for (let start = lastStart; start > ts - spec.sizeMs; start -= spec.advanceMs) {
    out.unshift({ startMs: start, endMs: start + spec.sizeMs });
  }
  return out;
}

/** Whether the window of `spec` ending at endMs exists (ends are aligned to the advance). */
export function windowEndsAt(endMs: number, spec: WindowSpec): boolean {
  return endMs % spec.advanceMs === 0;
}

/**
 * Problems with a set of windows computed from panes of paneMs: sizes and advances must be
 * whole multiples of the pane, so a window is exactly a merge of panes.
 */
export function windowSpecProblems(specs: readonly WindowSpec[], paneMs: number): string[] {
  const problems: string[] = [];
  if (!(Number.isInteger(paneMs) && paneMs > 0)) problems.push(`paneMs: must be a positive integer, got ${paneMs}`);
  if (specs.length === 0) problems.push('windows: at least one window is required');
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) problems.push(`windows.${s.name}: duplicate window name`);
    names.add(s.name);
    if (!(s.sizeMs > 0) || s.sizeMs % paneMs !== 0) problems.push(`windows.${s.name}.sizeMs: must be a positive multiple of ${paneMs}`);
    if (!(s.advanceMs > 0) || s.advanceMs % paneMs !== 0) problems.push(`windows.${s.name}.advanceMs: must be a positive multiple of ${paneMs}`);
    if (s.advanceMs > s.sizeMs) problems.push(`windows.${s.name}.advanceMs: must not exceed sizeMs (gaps between windows lose events)`);
  }
  return problems;
}
