import { type PreparedNetwork, hitTest, segmentBox, traceSegment } from '../model/geometry.js';
import { CASING_COLOR, DRAW_ORDER, MAP_BACKGROUND, SELECTION_COLOR, styleOf } from '../model/levels.js';
import { type Box, type View, fitView, pan, project, toScreen, zoomAt } from '../model/projection.js';
import type { ScoreTable } from '../model/scores.js';

/** Each carriageway is drawn this far to the right of its geometry, so the two never overlap. */
export const CARRIAGEWAY_OFFSET_PX = 4;
const HIT_TOLERANCE_PX = 6;
const STATION_RADIUS_PX = 6;
/**
 * Vertices closer than this to the last one drawn are left out: software rasterisation costs about
 * linearly in vertices (docs/benchmarks.md: 1.5 px took 1.9x the time of 4 px at 10,000 segments),
 * and at the full extent 3 px is below what a 2-7 px wide line shows.
 */
const MIN_STEP_PX = 3;
const PADDING_PX = 24;

export interface MapStation {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export interface MapHover {
  readonly kind: 'segment' | 'station';
  readonly index: number;
  readonly sx: number;
  readonly sy: number;
}

export interface MapViewOptions {
  onSelect(segmentIndex: number): void;
  onHover(hover: MapHover | null): void;
}

/**
 * The network on a canvas: one path per level (5 strokes per frame, however many segments),
 * redrawn at most once per animation frame, hit-tested through the spatial index.
 */
export class MapView {
  private readonly ctx: CanvasRenderingContext2D;
  private view: View = { scale: 1, tx: 0, ty: 0 };
  private width = 0;
  private height = 0;
  private userMoved = false;
  private frame = 0;
  private stations: MapStation[] = [];
  private selected = -1;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private order: Uint32Array;
  /** The time the last draw took, for the status line and the benchmark. */
  lastDrawMs = 0;
  /** The last full frame and its view: panning and zooming move it until the full redraw. */
  private readonly snapshot = document.createElement('canvas');
  private snapView: View | null = null;
  private settle: ReturnType<typeof setTimeout> | null = null;
  private quickFrame = 0;
  /**
   * Line widths, dashes, the carriageway offset and station marks grow with the map's width (1x up
   * to 1400 CSS px, 2x from 2800): a wall screen is read from across the room.
   */
  private k = 1;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly net: PreparedNetwork,
    private readonly scores: ScoreTable,
    private readonly opts: MapViewOptions,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    this.order = new Uint32Array(net.ids.length);
    this.listen();
  }

  setStations(stations: readonly { id: string; lon: number; lat: number }[]): void {
    this.stations = stations.map((s) => {
      const [x, y] = project(this.net.projection, s.lon, s.lat);
      return { id: s.id, x, y };
    });
    this.requestDraw();
  }

  /** Sizes the canvas to its box (CSS pixels times the device pixel ratio). */
  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    if (!this.userMoved || this.width === 0) this.view = fitView(this.net.extent, width, height, PADDING_PX);
    else this.view = pan(this.view, (width - this.width) / 2, (height - this.height) / 2);
    this.width = width;
    this.height = height;
    this.k = Math.min(2, Math.max(1, width / 1400));
    this.draw();
  }

  fitAll(): void {
    this.userMoved = false;
    this.view = fitView(this.net.extent, this.width, this.height, PADDING_PX);
    this.requestDraw();
  }

  /** Centres the map on segment i with a few kilometres of context, and highlights it. */
  focusSegment(i: number): void {
    this.selected = i;
    const b = segmentBox(this.net, i);
    const m = 1500;
    const box: Box = { minX: b.minX - m, minY: b.minY - m, maxX: b.maxX + m, maxY: b.maxY + m };
    const fit = fitView(box, this.width, this.height, PADDING_PX);
    // Never zoom out to focus: only in, or recentre at the current scale.
    this.view = fit.scale >= this.view.scale ? fit : fitView(box, this.width, this.height, PADDING_PX, Math.max(box.maxX - box.minX, this.width / this.view.scale));
    this.userMoved = true;
    this.requestDraw();
  }

  select(i: number): void {
    this.selected = i;
    this.requestDraw();
  }

  get selectedIndex(): number {
    return this.selected;
  }

  get currentView(): View {
    return this.view;
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /**
   * A pan or zoom: the last full frame is moved and scaled to the new view at once (a bitmap copy,
   * whatever the number of segments), and the network is drawn afresh once the movement pauses.
   */
  interact(): void {
    if (!this.snapView) {
      this.requestDraw();
      return;
    }
    if (!this.quickFrame) {
      this.quickFrame = requestAnimationFrame(() => {
        this.quickFrame = 0;
        this.drawMoved();
      });
    }
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      this.requestDraw();
    }, 150);
  }

  /** The last full frame, moved to the current view. Returns the time it took. */
  drawMoved(): number {
    const t0 = performance.now();
    const s = this.snapView;
    if (!s) return 0;
    const { ctx, view } = this;
    const dpr = this.canvas.width / Math.max(1, this.width);
    const k = view.scale / s.scale;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = MAP_BACKGROUND;
    ctx.fillRect(0, 0, this.width, this.height);
    ctx.drawImage(this.snapshot, view.tx - s.tx * k, view.ty - s.ty * k, this.width * k, this.height * k);
    return performance.now() - t0;
  }

  /** Screen position (CSS pixels in the canvas) of the middle of segment i, as drawn. */
  segmentMiddle(i: number): [number, number] {
    const { start, xy, normal } = this.net;
    const k = Math.floor((start[i] + start[i + 1]) / 2);
    const [sx, sy] = toScreen(this.view, xy[2 * k], xy[2 * k + 1]);
    const off = CARRIAGEWAY_OFFSET_PX * this.k;
    return [sx + normal[2 * k] * off, sy - normal[2 * k + 1] * off];
  }

  stationPosition(id: string): [number, number] | null {
    const s = this.stations.find((st) => st.id === id);
    return s ? toScreen(this.view, s.x, s.y) : null;
  }

  draw(): void {
    const t0 = performance.now();
    const { ctx, net, view } = this;
    const dpr = this.canvas.width / Math.max(1, this.width);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = MAP_BACKGROUND;
    ctx.fillRect(0, 0, this.width, this.height);
    ctx.lineCap = 'butt';
    ctx.lineJoin = 'round';

    // Segments in view, bucketed by level code (a counting sort into this.order).
    const levels = this.scores.levels;
    const counts = new Uint32Array(6);
    const margin = 12 / view.scale;
    const x0 = -view.tx / view.scale - margin, x1 = (this.width - view.tx) / view.scale + margin;
    const y1 = view.ty / view.scale + margin, y0 = (view.ty - this.height) / view.scale - margin;
    const b = net.bbox;
    const visible = new Uint8Array(net.ids.length);
    for (let i = 0; i < net.ids.length; i++) {
      if (b[4 * i] > x1 || b[4 * i + 2] < x0 || b[4 * i + 1] > y1 || b[4 * i + 3] < y0) continue;
      visible[i] = 1;
      counts[levels[i] + 1]++;
    }
    for (let c = 1; c < 6; c++) counts[c] += counts[c - 1];
    const starts = counts.slice();
    for (let i = 0; i < net.ids.length; i++) if (visible[i]) this.order[starts[levels[i]]++] = i;

    for (let code = 0; code < DRAW_ORDER.length; code++) {
      const from = counts[code], to = counts[code + 1];
      if (from === to) continue;
      const style = styleOf(DRAW_ORDER[code]);
      ctx.beginPath();
      for (let k = from; k < to; k++) traceSegment(net, this.order[k], view, CARRIAGEWAY_OFFSET_PX * this.k, MIN_STEP_PX, ctx);
      if (style.casing) {
        ctx.setLineDash([]);
        ctx.strokeStyle = CASING_COLOR;
        ctx.lineWidth = (style.width + 2) * this.k;
        ctx.stroke();
      }
      ctx.setLineDash(style.dash.map((d) => d * this.k));
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width * this.k;
      ctx.stroke();
    }

    if (this.selected >= 0) {
      const style = styleOf(DRAW_ORDER[levels[this.selected]]);
      ctx.beginPath();
      traceSegment(net, this.selected, view, CARRIAGEWAY_OFFSET_PX * this.k, MIN_STEP_PX, ctx);
      ctx.setLineDash([]);
      ctx.strokeStyle = SELECTION_COLOR;
      ctx.lineWidth = (style.width + 6) * this.k;
      ctx.stroke();
      ctx.setLineDash(style.dash.map((d) => d * this.k));
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width * this.k;
      ctx.stroke();
    }

    ctx.setLineDash([]);
    for (const s of this.stations) {
      const [sx, sy] = toScreen(view, s.x, s.y);
      ctx.beginPath();
      ctx.arc(sx, sy, STATION_RADIUS_PX * this.k, 0, 2 * Math.PI);
      ctx.fillStyle = '#e5e7eb';
      ctx.fill();
      ctx.lineWidth = 2 * this.k;
      ctx.strokeStyle = '#111827';
      ctx.stroke();
      // A "W" mark, so a station is not read as a risk colour.
      ctx.fillStyle = '#111827';
      ctx.font = `bold ${Math.round(8 * this.k)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('W', sx, sy + 0.5);
    }
    this.keepSnapshot();
    this.lastDrawMs = performance.now() - t0;
  }

  private keepSnapshot(): void {
    if (this.snapshot.width !== this.canvas.width || this.snapshot.height !== this.canvas.height) {
      this.snapshot.width = this.canvas.width;
      this.snapshot.height = this.canvas.height;
    }
    const sctx = this.snapshot.getContext('2d');
    if (!sctx) return;
    sctx.drawImage(this.canvas, 0, 0);
    this.snapView = this.view;
  }

  private hit(sx: number, sy: number): MapHover | null {
    for (let k = 0; k < this.stations.length; k++) {
      const [x, y] = toScreen(this.view, this.stations[k].x, this.stations[k].y);
      if (Math.hypot(x - sx, y - sy) <= (STATION_RADIUS_PX + 2) * this.k) return { kind: 'station', index: k, sx, sy };
    }
    const i = hitTest(this.net, this.view, sx, sy, CARRIAGEWAY_OFFSET_PX * this.k, HIT_TOLERANCE_PX * this.k);
    return i >= 0 ? { kind: 'segment', index: i, sx, sy } : null;
  }

  stationId(k: number): string {
    return this.stations[k].id;
  }

  private listen(): void {
    const c = this.canvas;
    const local = (e: MouseEvent): [number, number] => {
      const r = c.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const limits = (): [number, number] => {
      const fit = fitView(this.net.extent, this.width, this.height, PADDING_PX);
      return [fit.scale / 4, 2];
    };
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const [sx, sy] = local(e);
      const [min, max] = limits();
      this.view = zoomAt(this.view, Math.exp(-e.deltaY * 0.0015), sx, sy, min, max);
      this.userMoved = true;
      this.interact();
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => {
      const [x, y] = local(e);
      this.drag = { x, y, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const [x, y] = local(e);
      if (this.drag) {
        const dx = x - this.drag.x, dy = y - this.drag.y;
        if (this.drag.moved || Math.hypot(dx, dy) > 3) {
          this.drag = { x, y, moved: true };
          this.view = pan(this.view, dx, dy);
          this.userMoved = true;
          this.interact();
          this.opts.onHover(null);
          return;
        }
      }
      const h = this.hit(x, y);
      c.style.cursor = h ? 'pointer' : 'grab';
      this.opts.onHover(h);
    });
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = null;
      if (d && !d.moved) {
        const [x, y] = local(e);
        const h = this.hit(x, y);
        if (h?.kind === 'segment') this.opts.onSelect(h.index);
      }
    });
    c.addEventListener('pointerleave', () => this.opts.onHover(null));
    c.addEventListener('keydown', (e) => {
      const step = 60;
      const [min, max] = limits();
      const keys: Record<string, () => void> = {
        ArrowLeft: () => (this.view = pan(this.view, step, 0)),
        ArrowRight: () => (this.view = pan(this.view, -step, 0)),
        ArrowUp: () => (this.view = pan(this.view, 0, step)),
        ArrowDown: () => (this.view = pan(this.view, 0, -step)),
        '+': () => (this.view = zoomAt(this.view, 1.4, this.width / 2, this.height / 2, min, max)),
        '=': () => (this.view = zoomAt(this.view, 1.4, this.width / 2, this.height / 2, min, max)),
        '-': () => (this.view = zoomAt(this.view, 1 / 1.4, this.width / 2, this.height / 2, min, max)),
      };
      if (e.key === '0' || e.key === 'Home') {
        e.preventDefault();
        this.fitAll();
        return;
      }
      const f = keys[e.key];
      if (!f) return;
      e.preventDefault();
      f();
      this.userMoved = true;
      this.interact();
    });
  }
}
