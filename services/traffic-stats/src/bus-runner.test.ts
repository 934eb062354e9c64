import { describe, expect, it } from 'vitest';
import { InProcessBus, interceptSends, partitionFor, type Bus, type ConsumedRecord, type TransactionalConsumer } from '@saferoads/shared/bus';
import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { TOPICS, type DeadLetter } from '@saferoads/shared/topics';
import { Writable } from 'node:stream';
import { startStatsRunner, statsTopicSpecs, type StatsRunner } from './bus-runner.js';
import { TrafficStatsStage } from './stage.js';
import { tinyNetwork } from './testing/tiny-network.js';

const network = tinyNetwork(Array.from({ length: 6 }, (_, i) => ({ id: `S${i}`, lanes: 2, speedLimitKmh: 100 })));
const T0 = Date.UTC(2026, 2, 10, 7, 0, 0);
const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function detections(stepMs = 700): Detection[] {
  const out: Detection[] = [];
  let seq = 0;
  for (let t = 0; t < 14 * 60_000; t += stepMs) {
    const i = t / stepMs;
    const s = network.segments[i % 6];
    const lane = (i % 2) + 1;
    out.push({ detectorId: `${s.id}-L${lane}`, lane, ts: T0 + t, speedKmh: 60 + (i % 50), lengthM: 4 + (i % 13), seq: seq++ });
  }
  return out;
}

async function drain(bus: InProcessBus, topic: string): Promise<ConsumedRecord[]> {
  const got: ConsumedRecord[] = [];
  const c = bus.consumer({ groupId: `reader-${topic}`, topics: [topic], fromBeginning: true });
  const run = c.run(async (b) => {
    got.push(...b.records);
  });
  while ((await bus.lag(`reader-${topic}`, topic)) > 0) await new Promise((r) => setTimeout(r, 5));
  await c.stop();
  await run;
  return got;
}

/** Waits until the runner has processed everything in the detections topic. */
async function caughtUp(bus: InProcessBus, runner: StatsRunner): Promise<void> {
  const end = await bus.endOffsets(TOPICS.detections);
  const behind = () => end.some((e, p) => e > 0 && (runner.positions().get(p) ?? 0) < e);
  while (behind()) await new Promise((r) => setTimeout(r, 5));
}

describe('traffic-stats on the in-process bus', () => {
  it('publishes, keyed by segment over 3 partitions, exactly what the offline stage computes', async () => {
    const bus = new InProcessBus({ maxBatch: 100 });
    await bus.ensureTopics(statsTopicSpecs(3));
    const input = detections();
    await bus.producer().send(
      TOPICS.detections,
      input.map((d) => ({ key: network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d) })),
    );
    const runner = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
    await caughtUp(bus, runner);
    await runner.stop({ flush: true });
    const published = await drain(bus, TOPICS.stats);

    const offline: TrafficStats[] = [];
    const stage = new TrafficStatsStage({ network, sink: { stats: (r) => offline.push(r), late: () => undefined, rejected: () => undefined } });
    for (const d of input) stage.process(d, 0);
    stage.flush();

    const key = (r: TrafficStats) => `${r.segmentId}|${r.window}|${r.windowEndMs}`;
    const got = published.map((r) => JSON.parse(r.value) as TrafficStats);
    expect(published.every((r) => r.key === (JSON.parse(r.value) as TrafficStats).segmentId)).toBe(true);
    expect(new Map(got.map((r) => [key(r), r]))).toEqual(new Map(offline.map((r) => [key(r), r])));
    expect(got.length).toBe(offline.length);
    // the stream starts in the first detection's minute: 14 one-minute and 5 ten-minute windows per segment
    expect(got.length).toBe(6 * (14 + 5));
    await bus.close();
  });

  it("a second instance carries on from the first one's checkpoints: every window once, as an uninterrupted run gives it", async () => {
    const bus = new InProcessBus({ maxBatch: 37 });
    await bus.ensureTopics(statsTopicSpecs(3));
    const input = detections();
    const send = (part: Detection[]) =>
      bus.producer().send(
        TOPICS.detections,
        part.map((d) => ({ key: network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d) })),
      );
    const half = Math.floor(input.length * 0.45);
    await send(input.slice(0, half));
    const first = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
    await caughtUp(bus, first);
    await first.stop();
    const checkpoints = await drain(bus, TOPICS.statsCheckpoints);
    // Compacted: one live snapshot per partition that has had input.
    const withInput = [...new Set(network.segments.map((seg) => partitionFor(seg.id, 3)))].sort();
    expect(withInput.length).toBeGreaterThan(1);
    expect(checkpoints.map((r) => r.key).sort()).toEqual(withInput.map((p) => `partition-${p}`));

    await send(input.slice(half));
    const second = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
    await caughtUp(bus, second);
    await second.stop({ flush: true });

    const offline: TrafficStats[] = [];
    const stage = new TrafficStatsStage({ network, sink: { stats: (r) => offline.push(r), late: () => undefined, rejected: () => undefined } });
    for (const d of input) stage.process(d, 0);
    stage.flush();
    const published = (await drain(bus, TOPICS.stats)).map((r) => JSON.parse(r.value) as TrafficStats);
    const key = (r: TrafficStats) => `${r.segmentId}|${r.window}|${r.windowEndMs}`;
    expect(published.length).toBe(offline.length);
    expect(new Map(published.map((r) => [key(r), r]))).toEqual(new Map(offline.map((r) => [key(r), r])));
    await bus.close();
  });

  describe('idle partitions', () => {
    /** One vehicle on S0 at T0 + 10 s, then nothing: the wall clock is all that can close its windows. */
    async function idleRun(opts: { reachable: boolean }) {
      const inner = new InProcessBus();
      await inner.ensureTopics(statsTopicSpecs(1));
      const bus: Bus = {
        ...interceptSends(inner, () => undefined),
        transactionalConsumer: (o) => {
          const c = inner.transactionalConsumer(o);
          // A bus that stopped answering reads: its consumer's last fetch lies a minute back.
          return opts.reachable ? c : Object.assign(Object.create(c) as TransactionalConsumer, { lastFetchAtMs: () => Date.now() - 60_000 });
        },
      };
      await inner.producer().send(TOPICS.detections, [{ key: 'S0', value: JSON.stringify({ detectorId: 'S0-L1', lane: 1, ts: T0 + 10_000, speedKmh: 80, lengthM: 4.2 }) }]);
      let wall = T0 + 11_000;
      const published: TrafficStats[] = [];
      const runner = await startStatsRunner({ bus, network, log: silent, wallClock: () => wall, tickMs: 5, config: { idleTimeoutMs: 1_000 }, onStats: (r) => published.push(r) });
      await caughtUp(inner, runner);
      // Three minutes of wall time go by with no input.
      wall += 3 * 60_000;
      await new Promise((r) => setTimeout(r, 100));
      await runner.stop();
      await inner.close();
      return published.filter((r) => r.segmentId === 'S0' && r.window === '1m').map((r) => [r.windowEndMs - T0, r.count]);
    }

    it('closes the windows of a caught-up partition on a reachable bus with the wall clock', async () => {
      // Idle for 180 s - 1 s timeout = 179 s since the event was read (wall T0 + 11 s): watermark
      // T0 + 10 s - 5 s out-of-orderness + 179 s = T0 + 184 s, which closes the windows ending by
      // T0 + 174 s (10 s grace): those ending at T0 + 1 min and T0 + 2 min.
      expect(await idleRun({ reachable: true })).toEqual([
        [60_000, 1],
        [120_000, 0],
      ]);
    });

    it('does not when the bus has not answered a read lately: the quiet may be an outage', async () => {
      expect(await idleRun({ reachable: false })).toEqual([]);
    });
  });

  it('sends refused records to the dead-letter topic with their reasons and keeps the valid ones', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics(statsTopicSpecs(1));
    const good = { detectorId: 'S0-L1', lane: 1, ts: T0, speedKmh: 80, lengthM: 4.2, seq: 1 };
    await bus.producer().send(TOPICS.detections, [
      { key: 'S0', value: '{"detectorId": "S0-L1", "lane": 1' },
      { key: 'S0', value: JSON.stringify({ ...good, speedKmh: -3, seq: 2 }) },
      { key: 'S0', value: JSON.stringify(good) },
      { key: 'S9', value: JSON.stringify({ ...good, detectorId: 'S9-L1', seq: 3 }) },
    ]);
    const runner = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
    await caughtUp(bus, runner);
    await runner.stop({ flush: true });
    const dlq = (await drain(bus, TOPICS.detectionsDlq)).map((r) => JSON.parse(r.value) as DeadLetter);
    expect(dlq.map((d) => [d.reason, d.source?.offset])).toEqual([
      [expect.stringMatching(/^\(record\): not valid JSON: /), 0],
      ['speedKmh: must be > 0', 1],
      ['detectorId: unknown detector "S9-L1" (not in the road network)', 3],
    ]);
    expect(runner.stage.counters).toMatchObject({ accepted: 1, rejected: 1 });
    const stats = (await drain(bus, TOPICS.stats)).map((r) => JSON.parse(r.value) as TrafficStats);
    expect(stats.find((s) => s.segmentId === 'S0' && s.window === '1m' && s.windowEndMs === T0 + 60_000)?.count).toBe(1);
    await bus.close();
  });

  it('reads records packing several detections as NDJSON lines (the gateway\'s LOOP_INGEST_DETECTIONS_PER_RECORD) to the same windows as one detection a record', async () => {
    // A vehicle every 50 ms, so that a segment has 5 of them in 1.5 s of event time: packing
    // reorders a partition by that much, inside the stage's 5 s of allowed out-of-orderness.
    const input = detections(50);
    const run = async (records: { key: string | null; value: string }[]) => {
      const bus = new InProcessBus({ maxBatch: 7 });
      await bus.ensureTopics(statsTopicSpecs(3));
      await bus.producer().send(TOPICS.detections, records);
      const runner = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
      await caughtUp(bus, runner);
      await runner.stop({ flush: true });
      const stats = (await drain(bus, TOPICS.stats)).map((r) => r.value).sort();
      await bus.close();
      return stats;
    };
    const segmentOf = (d: Detection) => network.detectors.get(d.detectorId)?.segmentId ?? null;
    const single = await run(input.map((d) => ({ key: segmentOf(d), value: JSON.stringify(d) })));
    // Packed per segment in runs of up to 5 of its detections, in the input's order (what the gateway does with batches of 60).
    const packed: { key: string | null; value: string }[] = [];
    for (let i = 0; i < input.length; i += 60) {
      const slice = input.slice(i, i + 60);
      for (const s of network.segments) {
        const mine = slice.filter((d) => segmentOf(d) === s.id);
        for (let k = 0; k < mine.length; k += 5) packed.push({ key: s.id, value: mine.slice(k, k + 5).map((d) => JSON.stringify(d)).join('\n') });
      }
    }
    expect(packed.length).toBeLessThan(input.length / 4);
    expect(await run(packed)).toEqual(single);
    expect(single.length).toBe(6 * (14 + 5));
  });

  it('dead-letters a bad line of a packed record with its line number and keeps the lines beside it', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics(statsTopicSpecs(1));
    const good = { detectorId: 'S0-L1', lane: 1, ts: T0, speedKmh: 80, lengthM: 4.2 };
    const lines = [JSON.stringify({ ...good, seq: 1 }), JSON.stringify({ ...good, ts: T0 + 500, speedKmh: 0, seq: 2 }), '', JSON.stringify({ ...good, ts: T0 + 900, seq: 3 })];
    await bus.producer().send(TOPICS.detections, [{ key: 'S0', value: lines.join('\n') }]);
    const runner = await startStatsRunner({ bus, network, log: silent, wallClock: () => 0 });
    await caughtUp(bus, runner);
    await runner.stop({ flush: true });
    const dlq = (await drain(bus, TOPICS.detectionsDlq)).map((r) => JSON.parse(r.value) as DeadLetter);
    expect(dlq).toEqual([{ reason: 'speedKmh: must be > 0', errors: [{ field: 'speedKmh', reason: 'must be > 0' }], source: { topic: TOPICS.detections, partition: 0, offset: 0, line: 2 }, raw: lines[1] }]);
    expect(runner.stage.counters).toMatchObject({ accepted: 2 });
    const stats = (await drain(bus, TOPICS.stats)).map((r) => JSON.parse(r.value) as TrafficStats);
    expect(stats.find((s) => s.segmentId === 'S0' && s.window === '1m' && s.windowEndMs === T0 + 60_000)?.count).toBe(2);
    await bus.close();
  });
});
