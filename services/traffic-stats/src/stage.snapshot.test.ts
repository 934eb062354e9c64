import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import { TrafficStatsStage } from './stage.js';
import { arrivals, network, scenario } from './testing/streams.js';
import { tinyNetwork } from './testing/tiny-network.js';

/** S1 reads from partition 0, S2 from partition 1: each partition's state is saved on its own. */
const partitionOf = (segmentId: string) => (segmentId === 'S1' ? 0 : 1);
const partitionOfDetector = new Map(network.segments.flatMap((s) => s.props.detectors.map((d) => [d.detectorId, partitionOf(s.id)])));

interface Output {
  stats: TrafficStats[];
  late: Detection[];
}

const newStage = (out: Output, outOfOrdernessMs: number, graceMs: number, net = network) =>
  new TrafficStatsStage({
    network: net,
    config: { outOfOrdernessMs, graceMs, partitions: 2 },
    partitionOf,
    sink: { stats: (r) => out.stats.push(r), late: (d) => out.late.push(d), rejected: () => undefined },
  });

const feed = (stage: TrafficStatsStage, input: readonly Detection[]) => {
  for (const d of input) stage.process(d, partitionOfDetector.get(d.detectorId));
};

describe('partition snapshots', () => {
  it('a stage restored from snapshots taken anywhere in the stream carries on exactly as one that never stopped', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { maxLength: 4 }), (s, cutSeeds) => {
        const input = arrivals(s);
        const whole: Output = { stats: [], late: [] };
        const uninterrupted = newStage(whole, s.outOfOrdernessMs, s.graceMs);
        uninterrupted.open(0);
        uninterrupted.open(1);
        feed(uninterrupted, input);
        uninterrupted.flush();

        const cuts = [...new Set(cutSeeds.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const pieces: Output = { stats: [], late: [] };
        let stage = newStage(pieces, s.outOfOrdernessMs, s.graceMs);
        stage.open(0);
        stage.open(1);
        let from = 0;
        for (const cut of [...cuts, input.length]) {
          feed(stage, input.slice(from, cut));
          from = cut;
          if (cut === input.length) break;
          // A crash right after a checkpoint: a new stage takes over from the saved bytes alone.
          const saved = [stage.savePartition(0), stage.savePartition(1)].map((b) => b.slice());
          stage = newStage(pieces, s.outOfOrdernessMs, s.graceMs);
          stage.restorePartition(0, saved[0]);
          stage.restorePartition(1, saved[1]);
        }
        stage.flush();

        expect(pieces.stats).toEqual(whole.stats);
        expect(pieces.late).toEqual(whole.late);
      }),
      { numRuns: 200 },
    );
  });

  it('saving a restored partition gives the same bytes', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = arrivals(s);
        const a = newStage({ stats: [], late: [] }, s.outOfOrdernessMs, s.graceMs);
        a.open(0);
        a.open(1);
        feed(a, input.slice(0, Math.floor(input.length / 2)));
        const b = newStage({ stats: [], late: [] }, s.outOfOrdernessMs, s.graceMs);
        for (const p of [0, 1]) {
          const bytes = a.savePartition(p);
          b.restorePartition(p, bytes);
          expect(Buffer.from(b.savePartition(p)).equals(Buffer.from(bytes))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('closing a partition forgets its state: reopened, it starts afresh', () => {
    const out: Output = { stats: [], late: [] };
    const stage = newStage(out, 0, 0);
    stage.open(0);
    const t0 = Date.UTC(2026, 2, 10, 7, 0, 0);
    const [d1] = network.segments[0].props.detectors;
    stage.process({ detectorId: d1.detectorId, lane: d1.lane, ts: t0 + 1_000, speedKmh: 90, lengthM: 4.5 }, 0);
    const fresh = newStage({ stats: [], late: [] }, 0, 0);
    fresh.open(0);
    const before = Buffer.from(stage.savePartition(0));
    stage.closePartition(0);
    expect(stage.activePartitions).toEqual([]);
    stage.open(0);
    expect(Buffer.from(stage.savePartition(0)).equals(Buffer.from(fresh.savePartition(0)))).toBe(true);
    expect(Buffer.from(stage.savePartition(0)).equals(before)).toBe(false);
  });

  it.each([
    ['another grace period', { graceMs: 20_000 }, network, /another network or window configuration/],
    ['another network', {}, tinyNetwork([{ id: 'S1', lanes: 2, speedLimitKmh: 100 }]), /another network or window configuration/],
  ])('refuses a snapshot written with %s', (_label, config, net, message) => {
    const a = newStage({ stats: [], late: [] }, 5_000, 10_000);
    a.open(0);
    const bytes = a.savePartition(0);
    const b = new TrafficStatsStage({
      network: net,
      config: { outOfOrdernessMs: 5_000, graceMs: 10_000, partitions: 2, ...config },
      partitionOf,
      sink: { stats: () => undefined, late: () => undefined, rejected: () => undefined },
    });
    expect(() => b.restorePartition(0, bytes)).toThrow(message);
  });

  it.each([
    ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 3), /snapshot ends after/],
    ['with bytes over', (b: Uint8Array) => Buffer.concat([b, Buffer.from([0])]), /more than its layout reads/],
    ['of another version', (b: Uint8Array) => Buffer.concat([Buffer.from([9, 0, 0, 0]), b.subarray(4)]), /snapshot version 9, this stage reads 1/],
  ])('refuses a snapshot %s', (_label, damage, message) => {
    const a = newStage({ stats: [], late: [] }, 5_000, 10_000);
    a.open(0);
    const bytes = a.savePartition(0);
    const b = newStage({ stats: [], late: [] }, 5_000, 10_000);
    expect(() => b.restorePartition(0, damage(bytes))).toThrow(message);
  });
});
