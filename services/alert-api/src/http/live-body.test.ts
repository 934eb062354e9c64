import { describe, expect, it } from 'vitest';
import { LiveBody } from './live-body.js';

describe('LiveBody', () => {
  it.each([
    // [ms after the first build, data changed since, builds in all]
    [500, false, 1],
    [500, true, 1],
    [1_000, true, 2],
    [29_999, false, 1],
    [30_000, false, 2],
  ])('%i ms after a build (data changed: %s) it has built %i time(s)', async (later, changed, builds) => {
    let calls = 0;
    let now = 0;
    const body = new LiveBody(async () => (calls++, '{}'), { minRebuildMs: 1_000, maxAgeMs: 30_000 }, () => now);
    await body.body();
    now = later;
    if (changed) body.invalidate();
    await body.body();
    expect(calls).toBe(builds);
  });

  it('builds once for requests that arrive together', async () => {
    let calls = 0;
    const body = new LiveBody(async () => (calls++, '{"a":1}'), { minRebuildMs: 0, maxAgeMs: 0 });
    const reps = await Promise.all([body.body(), body.body(), body.body()]);
    expect([calls, new Set(reps).size, reps[0].json]).toEqual([1, 1, '{"a":1}']);
  });

  it('tags the content: a rebuild to the same text keeps the tag, other text gets another', async () => {
    const texts = ['{"a":1}', '{"a":1}', '{"a":2}'];
    let i = 0;
    const body = new LiveBody(async () => texts[i++], { minRebuildMs: 0, maxAgeMs: 0 });
    const tags = [(await body.body()).tag, (await body.body()).tag, (await body.body()).tag];
    // sha256 of '{"a":1}' and '{"a":2}' in base64url, the first 22 characters.
    expect(tags).toEqual(['AVq9f1zFei3ZS3WQ8ErYCE', 'AVq9f1zFei3ZS3WQ8ErYCE', 'foBZ9JVYn82YEjLMEdALAN']);
  });
});
