import { MINUTE_MS, hopping, tumbling } from '@saferoads/shared/runtime';

export const STATS_WINDOWS = [tumbling('1m', MINUTE_MS), hopping('10m', 10 * MINUTE_MS, MINUTE_MS)] as const;
