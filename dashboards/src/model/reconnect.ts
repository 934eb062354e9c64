/**
 * Delay before reconnect attempt `attempt` (0 for the first after a drop): exponential from
 * `baseMs`, capped at `maxMs`, with a jitter in [0.5, 1) of it (`random` in [0, 1)) so a wall of
 * screens that lost the API together does not come back in one burst.
 */
export function reconnectDelayMs(attempt: number, random: number, baseMs = 500, maxMs = 30_000): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(raw * (0.5 + random / 2));
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorised';

export const CONNECTION_LABELS: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorised: 'Not signed in',
};
