import { CONNECTION_LABELS, type ConnectionState } from '../model/reconnect.js';
import { formatAge, formatTime } from '../model/format.js';
import { h } from './dom.js';

/** Connection state and the time of the last update, always visible in the header. */
export class StatusBar {
  readonly el: HTMLElement;
  private readonly conn: HTMLElement;
  private readonly updated: HTMLElement;
  private lastMs: number | null = null;
  /** When the page received it: a replayed or simulated run's scores are of another time. */
  private receivedAtMs = 0;

  constructor(private readonly timeZone: string) {
    // Only the connection state is announced; the age ticking every 10 s would be noise.
    this.conn = h('span', { class: 'conn', role: 'status', 'data-state': 'connecting', 'data-testid': 'connection' }, CONNECTION_LABELS.connecting);
    this.updated = h('span', { class: 'updated', 'data-testid': 'last-update' }, 'No update yet');
    this.el = h('div', { class: 'status' }, this.conn, this.updated);
    setInterval(() => this.render(), 10_000);
  }

  setConnection(state: ConnectionState): void {
    this.conn.dataset.state = state;
    this.conn.textContent = CONNECTION_LABELS[state];
  }

  /** `windowEndMs` of the newest score, shown in the network's time zone. */
  setUpdated(windowEndMs: number): void {
    this.lastMs = windowEndMs;
    this.receivedAtMs = Date.now();
    this.render();
  }

  private render(): void {
    if (this.lastMs === null) return;
    this.updated.textContent = `Scores of ${formatTime(this.lastMs, this.timeZone)}, received ${formatAge(this.receivedAtMs, Date.now())}`;
    this.updated.setAttribute('title', new Date(this.lastMs).toISOString());
  }
}
