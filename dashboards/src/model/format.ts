/** Operator-facing names of the scorer's factor groups (docs/risk-scorer.md); unknown names are shown as they are. */
export const FACTOR_LABELS: Readonly<Record<string, string>> = {
  speed: 'Speed',
  speedVariation: 'Speed variation',
  volume: 'Traffic volume',
  gaps: 'Short gaps',
  trucks: 'Trucks',
  suddenChange: 'Sudden change',
  shockwave: 'Shockwave',
  precipitation: 'Precipitation',
  roadSurface: 'Road surface',
  visibility: 'Visibility',
  wind: 'Wind',
  weatherData: 'Weather data',
  light: 'Light',
  glare: 'Sun glare',
  calendar: 'Time of week',
  curve: 'Curve',
  roadLayout: 'Road layout',
};

export function factorLabel(name: string): string {
  return FACTOR_LABELS[name] ?? name;
}

/** "Short gaps 62 %, Speed 21 %": the top `n` factors with their shares. */
export function formatFactors(factors: readonly { name: string; share: number }[], n = 3): string {
  if (factors.length === 0) return 'no factor raises the risk';
  return factors
    .slice(0, n)
    .map((f) => `${factorLabel(f.name)} ${Math.round(f.share * 100)} %`)
    .join(', ');
}


/** hh:mm in the given zone (the network's, Europe/Vienna for the A13), for the list and the status bar. */
export function formatTime(ms: number, timeZone: string, seconds = false): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return seconds ? `${get('hour')}:${get('minute')}:${get('second')}` : `${get('hour')}:${get('minute')}`;
}

/** "3 min ago", "just now", "2 h ago": how old the last update is. */
export function formatAge(ms: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.floor(m / 60)} h ago`;
}

export function formatNumber(v: number | null | undefined, digits: number, unit: string): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(digits)} ${unit}`;
}

