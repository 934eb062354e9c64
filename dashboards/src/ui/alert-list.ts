import type { AlertBook } from '../model/alerts.js';
import { formatFactors, formatTime } from '../model/format.js';
import { LEVEL_STYLES } from '../model/levels.js';
import type { AlertStatus, AlertView } from '../model/types.js';
import { h, levelSwatch } from './dom.js';

export interface AlertListOptions {
  readonly canAct: boolean;
  readonly timeZone: string;
  segmentName(segmentId: string): string;
  onSelect(alert: AlertView): void;
  onAction(alert: AlertView, action: 'acknowledge' | 'resolve'): Promise<void>;
}

const STATUS_LABELS: Readonly<Record<AlertStatus, string>> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
const LIMIT = 200;

/**
 * The alert list beside the map. Rows are kept per alert and updated in place, so a row that has
 * the keyboard focus keeps it while the list changes around it.
 */
export class AlertList {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly empty: HTMLElement;
  private readonly rows = new Map<string, { li: HTMLLIElement; key: string }>();
  private statuses: Set<AlertStatus> = new Set(['open', 'acknowledged']);
  private selected: string | null = null;

  constructor(
    private readonly book: AlertBook,
    private readonly opts: AlertListOptions,
  ) {
    const showResolved = h('input', { type: 'checkbox', id: 'show-resolved' });
    showResolved.addEventListener('change', () => {
      this.statuses = new Set(showResolved.checked ? ['open', 'acknowledged', 'resolved'] : ['open', 'acknowledged']);
      this.render();
    });
    this.list = h('ol', { class: 'alerts', 'aria-label': 'Alerts, newest and most severe first', 'data-testid': 'alert-list' });
    this.empty = h('p', { class: 'empty' }, 'No open alerts.');
    this.el = h(
      'section',
      { class: 'panel alert-panel', 'aria-labelledby': 'alerts-heading' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'alerts-heading' }, 'Alerts'), h('label', { class: 'toggle' }, showResolved, ' Show resolved')),
      this.empty,
      this.list,
    );
  }

  setSelected(alertId: string | null): void {
    this.selected = alertId;
    for (const [id, r] of this.rows) r.li.classList.toggle('selected', id === alertId);
  }

  render(): void {
    const alerts = this.book.list(this.statuses, LIMIT);
    this.empty.hidden = alerts.length > 0;
    const focused = document.activeElement;
    const keep = new Set(alerts.map((a) => a.alertId));
    for (const [id, r] of this.rows) {
      if (!keep.has(id)) {
        r.li.remove();
        this.rows.delete(id);
      }
    }
    let prev: Element | null = null;
    for (const a of alerts) {
      const key = `${a.lastSeq}/${a.status}/${a.level}/${a.acknowledged?.atMs ?? ''}/${a.resolved?.atMs ?? ''}`;
      let r = this.rows.get(a.alertId);
      if (!r || r.key !== key) {
        const li = this.row(a);
        if (r) r.li.replaceWith(li);
        r = { li, key };
        this.rows.set(a.alertId, r);
      }
      const want: Element | null = prev ? prev.nextElementSibling : this.list.firstElementChild;
      if (want !== r.li) this.list.insertBefore(r.li, want);
      prev = r.li;
    }
    // A row rebuilt or moved under the keyboard focus: give the focus back to its equivalent.
    if (focused instanceof HTMLElement && !focused.isConnected && focused.dataset.focusKey) {
      const key = focused.dataset.focusKey;
      const same = this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
      // An acknowledge button is gone once the alert is acknowledged: its row's button takes the focus.
      (same ?? this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(`${key.split(':')[0]}:select`)}"]`))?.focus();
    }
  }

  private row(a: AlertView): HTMLLIElement {
    const style = LEVEL_STYLES[a.level];
    const name = this.opts.segmentName(a.segmentId);
    const select = h(
      'button',
      { type: 'button', class: 'alert-select', 'data-focus-key': `${a.alertId}:select`, 'aria-label': `${style.label} alert on ${name}, raised ${formatTime(a.raisedAtMs, this.opts.timeZone)}, ${STATUS_LABELS[a.status]}. Show on map` },
      h('span', { class: `level level-${a.level}` }, levelSwatch(style.color, style.width, style.dash, style.casing), style.label),
      h('span', { class: 'seg' }, name),
      h('time', { datetime: new Date(a.raisedAtMs).toISOString() }, formatTime(a.raisedAtMs, this.opts.timeZone)),
      h('span', { class: 'factors' }, formatFactors(a.factors)),
      h('span', { class: `status-tag status-${a.status}`, 'data-testid': 'alert-status' }, STATUS_LABELS[a.status]),
    );
    select.addEventListener('click', () => this.opts.onSelect(a));
    const actions = h('div', { class: 'actions' });
    if (this.opts.canAct) {
      if (a.status === 'open') actions.append(this.action(a, 'acknowledge', 'Acknowledge'));
      if (a.status !== 'resolved') actions.append(this.action(a, 'resolve', 'Resolve'));
    }
    const li = h('li', { class: `alert alert-${a.level}`, 'data-alert-id': a.alertId, 'data-segment-id': a.segmentId }, select, actions);
    if (a.alertId === this.selected) li.classList.add('selected');
    return li;
  }

  private action(a: AlertView, action: 'acknowledge' | 'resolve', label: string): HTMLButtonElement {
    const b = h('button', { type: 'button', class: `act act-${action}`, 'data-focus-key': `${a.alertId}:${action}`, 'aria-label': `${label} the alert on ${this.opts.segmentName(a.segmentId)}` }, label);
    // aria-disabled rather than disabled while the request runs: disabling the focused button
    // would drop the keyboard focus to the page.
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-disabled') === 'true') return;
      b.setAttribute('aria-disabled', 'true');
      this.opts.onAction(a, action).catch(() => {
        b.removeAttribute('aria-disabled');
      });
    });
    return b;
  }
}
