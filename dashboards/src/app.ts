import { type ApiClient, ApiError } from './api/client.js';
import { StreamClient } from './api/stream.js';
import { AlertBook } from './model/alerts.js';
import { FrameBatcher } from './model/batcher.js';
import { segmentSeries } from './model/chart-data.js';
import { formatTime } from './model/format.js';
import { prepareNetwork } from './model/geometry.js';
import { LEVEL_STYLES } from './model/levels.js';
import { type IncomingScore, ScoreTable } from './model/scores.js';
import type { AlertView, Me, RiskScore, SegmentGeometry, SegmentScores, StationFeature } from './model/types.js';
import { AlertList } from './ui/alert-list.js';
import { h } from './ui/dom.js';
import { Legend } from './ui/legend.js';
import { type MapHover, MapView } from './ui/map-view.js';
import { SegmentPanel, weatherItems } from './ui/segment-panel.js';
import { StatusBar } from './ui/status.js';

const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'];
const STATION_REFRESH_MS = 60_000;
const DETAIL_REFRESH_MS = 5_000;

/** What the browser tests and the benchmark read from the running page (nothing writes through it). */
export interface DashboardInspection {
  readonly segmentCount: number;
  readonly role: string;
  lastDrawMs(): number;
  segmentMiddle(segmentId: string): [number, number] | null;
  stationPosition(stationId: string): [number, number] | null;
  levelOf(segmentId: string): string | null;
}

declare global {
  interface Window {
    saferoadsDashboard?: DashboardInspection;
  }
}

export async function startDashboard(root: HTMLElement, api: ApiClient, token: string, me: Me, onSignOut: () => void): Promise<void> {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // The geometry and the scores apart (10,000 segments: the scores are 2.6 of the whole collection's 15 MB), so a reset reloads the scores alone.
  const [geometry, latest, stationsFc, alerts] = await Promise.all([api.geometry(), api.scores(), api.stations(), api.alerts(ALERT_STATUSES.slice(0, 2))]);
  const features: readonly SegmentGeometry[] = geometry.features;
  const net = prepareNetwork(features.map((f) => ({ id: f.properties.segmentId, coordinates: f.geometry.coordinates })));
  const byId = new Map(features.map((f) => [f.properties.segmentId, f]));
  const table = new ScoreTable(net.indexOf);
  const scoreList = (s: SegmentScores) => Object.entries(s.scores).map(([segmentId, score]) => ({ segmentId, ...score }));
  table.apply(scoreList(latest));
  const book = new AlertBook();
  for (const a of alerts) book.upsert(a);
  let stations: StationFeature[] = stationsFc.features;

  const canAct = me.role === 'operator' || me.role === 'admin';
  const segmentName = (id: string) => byId.get(id)?.properties.name ?? id;
  const status = new StatusBar(timeZone);
  const legend = new Legend();
  const panel = new SegmentPanel(timeZone);
  const tooltip = h('div', { class: 'tooltip', role: 'tooltip', id: 'map-tooltip', hidden: true });
  const canvas = h('canvas', {
    tabindex: '0',
    role: 'application',
    'aria-roledescription': 'map',
    'aria-label': `Risk map of ${features.length} segments. Arrow keys pan, plus and minus zoom, 0 shows the whole network. Choose a segment with the search field or an alert in the list.`,
    'data-testid': 'map',
  });

  let selectedSegment: string | null = null;
  let detailTimer: ReturnType<typeof setTimeout> | null = null;
  let detailAt = 0;

  const list = new AlertList(book, {
    canAct,
    timeZone,
    segmentName,
    onSelect: (a) => selectSegment(a.segmentId, a.alertId),
    onAction: async (a, action) => {
      try {
        const updated = action === 'acknowledge' ? await api.acknowledge(a.alertId) : await api.resolve(a.alertId);
        if (book.upsert(updated)) list.render();
      } catch (err) {
        flash(err instanceof ApiError ? `Could not ${action} the alert: ${err.message}` : `Could not ${action} the alert`);
        throw err;
      }
    },
  });

  const map = new MapView(canvas, net, table, {
    onSelect: (i) => selectSegment(net.ids[i], null),
    onHover: (hover) => showTooltip(hover),
  });

  const announcer = h('div', { class: 'sr-only', 'aria-live': 'assertive' });
  function flash(text: string): void {
    announcer.textContent = text;
    const toast = h('div', { class: 'toast', role: 'alert' }, text);
    document.body.append(toast);
    setTimeout(() => toast.remove(), 6_000);
  }

  function showTooltip(hover: MapHover | null): void {
    if (!hover) {
      tooltip.hidden = true;
      return;
    }
    if (hover.kind === 'segment') {
      const id = net.ids[hover.index];
      const s = table.scores[hover.index];
      tooltip.replaceChildren(h('strong', {}, segmentName(id)), h('div', {}, s ? `${LEVEL_STYLES[s.level].label}, relative risk ${s.relativeRisk.toFixed(2)}` : 'No score yet'));
    } else {
      const st = stations.find((f) => f.id === map.stationId(hover.index));
      if (!st) return;
      tooltip.replaceChildren(h('strong', {}, `Weather station ${st.id}`), h('div', {}, `at ${formatTime(st.properties.ts, timeZone)}`), ...weatherItems({ ...st.properties, distanceKm: 0 }).map(([k, v]) => h('div', {}, `${k}: ${v}`)));
    }
    tooltip.hidden = false;
    // Beside the pointer, flipped to its other side where it would leave the map.
    const wrap = canvas.getBoundingClientRect();
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    const left = hover.sx + 14 + tw > wrap.width ? hover.sx - 14 - tw : hover.sx + 14;
    const top = hover.sy + 14 + th > wrap.height ? hover.sy - 14 - th : hover.sy + 14;
    tooltip.style.left = `${Math.max(0, left)}px`;
    tooltip.style.top = `${Math.max(0, top)}px`;
  }

  async function loadDetail(segmentId: string): Promise<void> {
    detailAt = Date.now();
    try {
      const d = await api.segment(segmentId, 60);
      if (selectedSegment !== segmentId) return;
      panel.show(d, segmentSeries(d.stats, d.scores), book.activeFor(segmentId));
    } catch (err) {
      flash(err instanceof ApiError ? `Could not load ${segmentId}: ${err.message}` : `Could not load ${segmentId}`);
    }
  }

  function refreshDetailSoon(): void {
    if (!selectedSegment || detailTimer) return;
    const wait = Math.max(0, detailAt + DETAIL_REFRESH_MS - Date.now());
    detailTimer = setTimeout(() => {
      detailTimer = null;
      if (selectedSegment) void loadDetail(selectedSegment);
    }, wait);
  }

  function selectSegment(segmentId: string, alertId: string | null): void {
    const i = net.indexOf.get(segmentId);
    if (i === undefined) {
      flash(`Segment ${segmentId} is not on the map`);
      return;
    }
    selectedSegment = segmentId;
    map.focusSegment(i);
    list.setSelected(alertId ?? book.activeFor(segmentId)?.alertId ?? null);
    void loadDetail(segmentId);
  }

  // The segment finder: every segment reachable from the keyboard.
  const datalist = h('datalist', { id: 'segment-ids' }, ...features.map((f) => h('option', { value: f.properties.segmentId }, f.properties.name ?? '')));
  const findInput = h('input', { id: 'find-segment', name: 'segment', list: 'segment-ids', autocomplete: 'off', placeholder: 'e.g. A13-S-001' });
  const find = h('form', { class: 'find', role: 'search' }, h('label', { for: 'find-segment' }, 'Find segment'), findInput, h('button', { type: 'submit' }, 'Show'), datalist);
  find.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = findInput.value.trim();
    if (v) selectSegment(v, null);
  });

  const stationRows = h('tbody');
  const renderStations = () => {
    stationRows.replaceChildren(
      ...stations.map((st) => {
        const w = weatherItems({ ...st.properties, distanceKm: 0 });
        return h('tr', {}, h('th', { scope: 'row' }, st.id), h('td', {}, formatTime(st.properties.ts, timeZone)), ...w.slice(0, 4).map(([, v]) => h('td', {}, v)));
      }),
    );
    map.setStations(stations.map((s) => ({ id: s.id, lon: s.geometry.coordinates[0], lat: s.geometry.coordinates[1] })));
  };
  const stationTable = h(
    'details',
    { class: 'stations' },
    h('summary', {}, `Weather stations (${stations.length})`),
    h('table', {}, h('thead', {}, h('tr', {}, ...['Station', 'Time', 'Air', 'Precipitation', 'Visibility', 'Wind'].map((t) => h('th', { scope: 'col' }, t)))), stationRows),
  );

  const signOut = h('button', { type: 'button', class: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', onSignOut);
  const mapWrap = h('section', { class: 'map-wrap', 'aria-label': 'Map' }, canvas, tooltip, find);
  root.replaceChildren(
    h('a', { class: 'skip', href: '#alerts-heading' }, 'Skip to alerts'),
    h(
      'header',
      { class: 'top' },
      h('h1', {}, 'Saferoads'),
      status.el,
      legend.el,
      h('div', { class: 'who' }, h('span', { 'data-testid': 'role' }, `${me.subject} (${me.role})`), signOut),
    ),
    h('main', { class: 'layout' }, mapWrap, h('aside', { class: 'side' }, list.el, panel.el, stationTable)),
    announcer,
  );
  renderStations();
  list.render();
  legend.update(table.counts());
  if (table.latestWindowEndMs !== null) status.setUpdated(table.latestWindowEndMs);

  const ro = new ResizeObserver(() => {
    const r = canvas.getBoundingClientRect();
    map.resize(r.width, r.height);
  });
  ro.observe(canvas);

  // Stream events are applied once per animation frame, whatever their number.
  const scores = new FrameBatcher<IncomingScore>(
    (run) => requestAnimationFrame(run),
    (batch) => {
      const r = table.apply(batch);
      if (r.changed === 0) return;
      legend.update(table.counts());
      if (table.latestWindowEndMs !== null) status.setUpdated(table.latestWindowEndMs);
      map.requestDraw();
      if (selectedSegment && batch.some((s) => s.segmentId === selectedSegment)) refreshDetailSoon();
    },
  );
  const alertEvents = new FrameBatcher<AlertView>(
    (run) => requestAnimationFrame(run),
    (batch) => {
      let changed = false;
      for (const a of batch) changed = book.upsert(a) || changed;
      if (changed) list.render();
    },
  );
  async function reload(): Promise<void> {
    const [fresh, al] = await Promise.all([api.scores(), api.alerts(ALERT_STATUSES)]);
    // Another network behind the API (it restarted with a new network file): draw it afresh.
    if (fresh.networkVersion !== latest.networkVersion) return location.reload();
    table.apply(scoreList(fresh));
    for (const a of al) book.upsert(a);
    list.render();
    legend.update(table.counts());
    map.requestDraw();
  }
  const stream = new StreamClient(token, {
    score: (s: RiskScore) => scores.push(s),
    alert: (a) => alertEvents.push(a),
    reset: () => void reload(),
    state: (s) => {
      status.setConnection(s);
      if (s === 'unauthorised') onSignOut();
    },
  });
  stream.start();
  setInterval(() => {
    api.stations().then((fc) => {
      stations = fc.features;
      renderStations();
    }, () => undefined);
  }, STATION_REFRESH_MS);

  window.saferoadsDashboard = {
    segmentCount: features.length,
    role: me.role,
    lastDrawMs: () => map.lastDrawMs,
    segmentMiddle: (id) => {
      const i = net.indexOf.get(id);
      return i === undefined ? null : map.segmentMiddle(i);
    },
    stationPosition: (id) => map.stationPosition(id),
    levelOf: (id) => {
      const i = net.indexOf.get(id);
      return i === undefined ? null : (table.scores[i]?.level ?? null);
    },
  };
}
