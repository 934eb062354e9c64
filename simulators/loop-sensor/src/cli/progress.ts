import { SingleBar } from 'cli-progress';

export interface Progress {
  update(steps: number, detections: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

/** A progress bar on stderr, only for a person watching a terminal: never in pipes or logs. */
export function stderrProgress(totalSteps: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return NONE;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'simulate [{bar}] {percentage}% | {value}/{total} steps | {detections} detections | ETA {eta_formatted}',
    hideCursor: true,
  });
  bar.start(totalSteps, 0, { detections: 0 });
  return {
    update: (steps, detections) => bar.update(steps, { detections }),
    stop: () => bar.stop(),
  };
}
