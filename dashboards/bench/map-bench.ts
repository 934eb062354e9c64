// Runs in Chromium (bench/dashboard.ts bundles and loads it): the page's own map, score table and
// per-frame batcher on a synthetic network, timing what a minute of 10,000 scores costs.
import { FrameBatcher } from '../src/model/batcher.js';
import { prepareNetwork } from '../src/model/geometry.js';
import { LEVELS } from '../src/model/levels.js';
import { type IncomingScore, ScoreTable } from '../src/model/scores.js';
import { MapView } from '../src/ui/map-view.js';

export interface BenchResult {
  segments: number;
  vertices: number;
  prepareMs: number;
  /**
   * Per minute: receiving the 10,000 events into the batcher (object creation stands in for the
   * stream's JSON parsing), applying them to the table, drawing with the canvas flushed (a 1-pixel
   * getImageData waits for the rasterisation), and the frame that does it (its rAF to the next).
   */
  pushMs: number[];
  applyMs: number[];
  drawMs: number[];
  frameMs: number[];
  /** A full redraw with nothing changed, for comparison. */
  idleDrawMs: number[];
  /** A frame of a pan (keyboard arrow): the last full frame moved, flushed. */
  panMs: number[];
}

/** `roads` dual carriageways of `perRoad` segments each, 9 vertices a segment, spread over ~3° x 2°. */
function network(roads: number, perRoad: number) {
  const lines: { id: string; coordinates: number[][] }[] = [];
  for (let r = 0; r < roads; r++) {
    const lat = 46 + (2 * r) / roads;
    for (const dir of ['E', 'W'] as const) {
      for (let s = 0; s < perRoad; s++) {
        const coords: number[][] = [];
        for (let k = 0; k <= 8; k++) {
          const lon = 10 + (3 * (s + k / 8)) / perRoad;
          coords.push([lon, lat + 0.002 * Math.sin(lon * 40) + (dir === 'E' ? -0.0002 : 0.0002)]);
        }
        if (dir === 'W') coords.reverse();
        lines.push({ id: `R${r}-${dir}-${s}`, coordinates: coords });
      }
    }
  }
  return lines;
}

function nextFrame(): Promise<number> {
  return new Promise((r) => requestAnimationFrame(r));
}

export async function run(segments: number, minutes: number): Promise<BenchResult> {
  const roads = Math.max(1, Math.round(Math.sqrt(segments / 2)));
  const lines = network(roads, Math.ceil(segments / (2 * roads))).slice(0, segments);
  const t0 = performance.now();
  const net = prepareNetwork(lines);
  const prepareMs = performance.now() - t0;
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh';
  document.body.append(canvas);
  const table = new ScoreTable(net.indexOf);
  const map = new MapView(canvas, net, table, { onSelect: () => undefined, onHover: () => undefined });
  const ctx = canvas.getContext('2d')!;
  const drawFlushed = () => {
    const a = performance.now();
    map.draw();
    ctx.getImageData(0, 0, 1, 1);
    return performance.now() - a;
  };
  map.resize(window.innerWidth, window.innerHeight);
  const out: BenchResult = { segments: net.ids.length, vertices: net.start[net.ids.length], prepareMs, pushMs: [], applyMs: [], drawMs: [], frameMs: [], idleDrawMs: [], panMs: [] };
  let seed = 1;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let m = 0; m < minutes; m++) {
    let flushed!: () => void;
    const done = new Promise<void>((r) => (flushed = r));
    const batcher = new FrameBatcher<IncomingScore>(
      (cb) => requestAnimationFrame(cb),
      (batch) => {
        frameStart = performance.now();
        table.apply(batch);
        out.applyMs.push(performance.now() - frameStart);
        out.drawMs.push(drawFlushed());
        flushed();
      },
    );
    let frameStart = 0;
    await nextFrame();
    const p0 = performance.now();
    const windowEndMs = 1_800_000_000_000 + m * 60_000;
    // Mostly low, as a network is; a tenth elevated or worse.
    for (const id of net.ids) {
      const x = random();
      const level = LEVELS[x < 0.9 ? 0 : x < 0.96 ? 1 : x < 0.99 ? 2 : 3];
      batcher.push({ segmentId: id, windowEndMs, risk: x / 100, relativeRisk: 1 + 5 * x, level, factors: [{ name: 'gaps', share: 0.5 }], modelVersion: 'bench' });
    }
    out.pushMs.push(performance.now() - p0);
    await done;
    await nextFrame();
    out.frameMs.push(performance.now() - frameStart);
    out.idleDrawMs.push(drawFlushed());
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: m % 2 ? 'ArrowLeft' : 'ArrowRight' }));
    const a = performance.now();
    map.drawMoved();
    ctx.getImageData(0, 0, 1, 1);
    out.panMs.push(performance.now() - a);
  }
  return out;
}

(window as unknown as { mapBench: typeof run }).mapBench = run;
