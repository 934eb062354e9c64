import type { ClosedWindow } from './windows.js';

/**
 * A mergeable pane aggregator (after quix-streams' aggregations): panes of one pane-length of
 * event time are filled with `add`, and a window is the `merge` of its panes turned into a record
 * by `result`. Panes are mutable and reused (`reset`) so steady-state processing allocates nothing.
 * `Ctx` is per-key context fixed for the key's lifetime (for traffic: the segment's lanes and limit).
 */
export interface PaneAggregator<P, In, R, Ctx> {
  init(ctx: Ctx): P;
  reset(pane: P): void;
  add(pane: P, input: In, ctx: Ctx): void;
  merge(into: P, from: P): void;
  result(pane: P, window: ClosedWindow, ctx: Ctx): R;
}
