import { create } from 'xmlbuilder2';
import { headline } from '../describe.js';
import { isoTime } from '../time.js';
import type { AlertView } from '../types.js';
import { appendCapAlert, capMsgType, capSent } from './alert.js';
import type { CapConfig } from './config.js';
import { exportable, type OnInvalid } from '../validate.js';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

/**
 * Several alerts in one document. CAP 1.2 has no container of its own: one `alert` is one
 * message. The index of CAP messages that alerting hubs poll is an Atom feed (OASIS CAP feeds
 * note; the form public alert aggregators ingest), so that is the wrapper: one `entry` per alert,
 * its `id` the alert's (stable across its updates), its `updated` the message's `sent`, and its
 * `content` (type application/cap+xml) the whole CAP message inline, so a reader needs no second
 * request. Entries come newest first, ties by alertId, so the same alerts give the same feed.
 * An alert that cannot be exported (viewProblems) is left out and reported to `onInvalid`.
 */
export function capFeedXml(views: readonly AlertView[], c: CapConfig, generatedAtMs: number, onInvalid?: OnInvalid): string {
  const sorted = exportable(views, onInvalid).sort((a, b) => capSent(b) - capSent(a) || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0));
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const feed = doc.ele(ATOM_NAMESPACE, 'feed');
  feed.ele('id').txt(c.feedId).up();
  feed.ele('title').txt(c.feedTitle).up();
  feed.ele('updated').txt(isoTime(generatedAtMs)).up();
  feed.ele('author').ele('name').txt(c.senderName).up().up();
  if (c.feedUrl) feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: c.feedUrl }).up();
  for (const v of sorted) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(`urn:uuid:${v.alertId}`).up();
    entry.ele('title').txt(headline({ ...v, lifecycle: capMsgType(v) === 'Cancel' ? 'resolved' : v.lifecycle })).up();
    entry.ele('updated').txt(isoTime(capSent(v))).up();
    appendCapAlert(entry.ele('content', { type: 'application/cap+xml' }), v, c, generatedAtMs);
  }
  return doc.end({ prettyPrint: true });
}
