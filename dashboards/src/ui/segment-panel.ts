import uPlot from 'uplot';
import { type SegmentSeries, yRange } from '../model/chart-data.js';
import { factorLabel, formatNumber, formatTime } from '../model/format.js';
import { LEVEL_STYLES } from '../model/levels.js';
import type { AlertView, SegmentDetail, SegmentFeature } from '../model/types.js';
import { h, levelSwatch } from './dom.js';

interface ChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly color: string;
  readonly floor: (seg: SegmentFeature) => number;
  readonly pick: (s: SegmentSeries) => (number | null)[];
  readonly digits: number;
}

const CHARTS: readonly ChartSpec[] = [
  { title: 'Mean speed', unit: 'km/h', color: '#93c5fd', floor: (s) => s.properties.speedLimitKmh, pick: (s) => s.speedKmh, digits: 0 },
  { title: 'Flow', unit: 'veh/h', color: '#d1d5db', floor: () => 500, pick: (s) => s.flowVehH, digits: 0 },
  // Relative risk: the scorer's levels are thresholds on it (docs/risk-scorer.md).
  { title: 'Relative risk', unit: '× reference', color: '#fba62a', floor: () => 2, pick: (s) => s.relativeRisk, digits: 2 },
];

/** The selected segment: its score and factors, current weather, and the last hour as charts. */
export class SegmentPanel {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly charts: HTMLElement;
  private plots: uPlot[] = [];

  constructor(private readonly timeZone: string) {
    this.body = h('div', { class: 'segment-body' }, h('p', { class: 'empty' }, 'Select a segment on the map or an alert in the list.'));
    this.charts = h('div', { class: 'charts' });
    this.el = h('section', { class: 'panel segment-panel', 'aria-labelledby': 'segment-heading', 'data-testid': 'segment-panel' }, h('h2', { id: 'segment-heading' }, 'Segment'), this.body, this.charts);
  }

  clear(): void {
    this.destroyPlots();
    this.body.replaceChildren(h('p', { class: 'empty' }, 'Select a segment on the map or an alert in the list.'));
  }

  show(detail: SegmentDetail, series: SegmentSeries, alert: AlertView | undefined): void {
    const p = detail.segment.properties;
    const s = detail.score;
    const rows: HTMLElement[] = [
      h('h3', { 'data-testid': 'segment-name' }, p.name ?? p.segmentId),
      h('p', { class: 'meta' }, `${p.segmentId} · ${p.direction} · ${p.lanes} lanes · ${p.speedLimitKmh} km/h`),
    ];
    if (s) {
      const style = LEVEL_STYLES[s.level];
      rows.push(
        h('p', { class: 'score' }, h('span', { class: `level level-${s.level}` }, levelSwatch(style.color, style.width, style.dash, style.casing), style.label), ` relative risk ${s.relativeRisk.toFixed(2)} (crash probability ${(s.risk * 100).toFixed(3)} %) at ${formatTime(s.windowEndMs, this.timeZone)}`),
        h('h4', {}, 'Why'),
        s.factors.length === 0
          ? h('p', {}, 'No factor raises the risk above reference conditions.')
          : h('ul', { class: 'factor-bars', 'aria-label': 'Factors behind the score' }, ...s.factors.map((f) => h('li', {}, h('span', { class: 'fname' }, factorLabel(f.name)), shareBar(f.share), h('span', { class: 'share' }, `${Math.round(f.share * 100)} %`)))),
      );
    } else rows.push(h('p', {}, 'Not scored yet.'));
    if (alert) rows.push(h('p', { class: 'alert-note' }, `Alert ${alert.status}, ${LEVEL_STYLES[alert.level].label.toLowerCase()} since ${formatTime(alert.raisedAtMs, this.timeZone)}`));
    const w = detail.weather;
    rows.push(h('h4', {}, 'Weather'));
    if (w) {
      rows.push(
        h(
          'dl',
          { class: 'weather', 'data-testid': 'segment-weather' },
          ...weatherItems(w).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
          h('dt', {}, 'Station'),
          h('dd', {}, `${w.stationId}, ${w.distanceKm.toFixed(1)} km away, ${formatTime(w.ts, this.timeZone)}`),
        ),
      );
    } else rows.push(h('p', {}, 'No weather station nearby.'));
    this.body.replaceChildren(...rows);
    this.drawCharts(detail.segment, series);
  }

  private destroyPlots(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
    this.charts.replaceChildren();
  }

  private drawCharts(seg: SegmentFeature, series: SegmentSeries): void {
    this.destroyPlots();
    const width = Math.max(200, this.charts.clientWidth || 320);
    for (const c of CHARTS) {
      const values = c.pick(series);
      const last = [...values].reverse().find((v) => v !== null) ?? null;
      const box = h('figure', { class: 'chart' }, h('figcaption', {}, `${c.title} (${c.unit}), last hour: `, h('strong', {}, formatNumber(last, c.digits, c.unit))));
      this.charts.append(box);
      const range = yRange(values, c.floor(seg));
      const tz = this.timeZone;
      const plot = new uPlot(
        {
          width,
          height: 110,
          legend: { show: false },
          cursor: { y: false },
          scales: { x: { time: true }, y: { range: () => range } },
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
          axes: [
            // hh:mm (24 h) in the operator's zone, as everywhere else on the page.
            { stroke: '#9ca3af', grid: { stroke: '#2a3038' }, ticks: { stroke: '#2a3038' }, values: (_u, splits) => splits.map((t) => formatTime(t * 1000, tz)) },
            { stroke: '#9ca3af', grid: { stroke: '#2a3038' }, ticks: { stroke: '#2a3038' }, size: 48 },
          ],
          series: [{}, { label: c.title, stroke: c.color, width: 2, spanGaps: false, points: { show: false } }],
        },
        [series.t, values],
        box,
      );
      plot.root.setAttribute('role', 'img');
      plot.root.setAttribute('aria-label', `${c.title} over the last hour, ${series.t.length} minutes; latest ${formatNumber(last, c.digits, c.unit)}`);
      this.plots.push(plot);
    }
  }
}

export function weatherItems(w: SegmentDetail['weather'] & object): [string, string][] {
  const items: [string, string][] = [
    ['Air', formatNumber(w.airTemperatureC, 1, '°C')],
    ['Precipitation', w.precipitationType === 'none' ? 'none' : `${w.precipitationType}, ${w.precipitationMmH.toFixed(1)} mm/h`],
    ['Visibility', w.visibilityM >= 10_000 ? 'over 10 km' : formatNumber(w.visibilityM, 0, 'm')],
    ['Wind', `${w.windSpeedMs.toFixed(1)} m/s${w.windGustMs !== undefined ? `, gusts ${w.windGustMs.toFixed(1)}` : ''}`],
  ];
  if (w.roadSurfaceState !== undefined) items.push(['Road surface', `${w.roadSurfaceState}${w.roadSurfaceTemperatureC !== undefined ? `, ${w.roadSurfaceTemperatureC.toFixed(1)} °C` : ''}`]);
  return items;
}

/** A bar of the factor's share (a CSS variable set through the CSSOM: the API's CSP allows no inline style attribute). */
function shareBar(share: number): HTMLElement {
  const bar = h('span', { class: 'bar' });
  bar.style.setProperty('--share', String(share));
  return bar;
}
