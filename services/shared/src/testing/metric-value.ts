/** What metricValue needs of a Fastify app: `inject`. */
export interface Injectable {
  inject(opts: { method: 'GET'; url: string }): Promise<{ body: string }>;
}

/**
 * The value of one series in GET /metrics: the sample named `name` whose labels, apart from the
 * registry's `service` label, are exactly `labels`. Undefined when there is no such series.
 */
export async function metricValue(app: Injectable, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const line of res.body.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]).filter(([k]) => k !== 'service');
    if (JSON.stringify(got.sort()) === want) return Number(m[3]);
  }
  return undefined;
}
