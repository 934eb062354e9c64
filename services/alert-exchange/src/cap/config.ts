import { ConfigError } from '@saferoads/shared/errors';

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapScope = 'Public' | 'Restricted' | 'Private';

export interface CapOptions {
  /** CAP `sender`: the authority's address, e.g. `saferoads@traffic.example.org`. */
  readonly sender: string;
  /** CAP `senderName`, shown to people. Default `Saferoads`. */
  readonly senderName?: string;
  /** First part of every identifier: `<prefix>-<alertId>-<seq>`. Default `saferoads`. */
  readonly identifierPrefix?: string;
  /** Default `Actual`; a test or exercise deployment says so here. */
  readonly status?: CapStatus;
  /** Default `Public`. `Restricted` needs `restriction`, `Private` needs `addresses` (CAP 1.2, 3.2.1). */
  readonly scope?: CapScope;
  readonly restriction?: string;
  readonly addresses?: string;
  /** RFC 3066 language of the texts. Default `en`. */
  readonly language?: string;
  /** `polygon` (default): the line widened by areaBufferM; `circle`: one circle around it. */
  readonly areaShape?: 'polygon' | 'circle';
  /** Metres either side of the segment's line. Default 50 (a motorway carriageway and its verge). */
  readonly areaBufferM?: number;
  /** `expires` is the export's time plus this. Default 15 minutes, the model's horizon. */
  readonly expiresAfterMs?: number;
  /** When set, each alert's `web` is `<webBase>/<alertId>` (e.g. the dashboard's alert page). */
  readonly webBase?: string;
  /** Atom feed `id` (an IRI). Default `urn:saferoads:cap-feed`. */
  readonly feedId?: string;
  /** Atom feed `title`. Default `Saferoads crash-risk alerts`. */
  readonly feedTitle?: string;
  /** The feed's own URL, as `link rel="self"` when set. */
  readonly feedUrl?: string;
}

export interface CapConfig {
  readonly sender: string;
  readonly senderName: string;
  readonly identifierPrefix: string;
  readonly status: CapStatus;
  readonly scope: CapScope;
  readonly restriction?: string;
  readonly addresses?: string;
  readonly language: string;
  readonly areaShape: 'polygon' | 'circle';
  readonly areaBufferM: number;
  readonly expiresAfterMs: number;
  readonly webBase?: string;
  readonly feedId: string;
  readonly feedTitle: string;
  readonly feedUrl?: string;
}

const STATUSES: readonly CapStatus[] = ['Actual', 'Exercise', 'System', 'Test', 'Draft'];
const SCOPES: readonly CapScope[] = ['Public', 'Restricted', 'Private'];
/** CAP 1.2 forbids spaces, commas, `<` and `&` in sender and identifier. */
const CAP_TOKEN = /^[^\s,<&]+$/;

function isUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks the options once, when an exporter is built, and fills in the defaults. */
export function capConfig(opts: CapOptions): CapConfig {
  const problems: string[] = [];
  const c: CapConfig = {
    sender: opts.sender,
    senderName: opts.senderName ?? 'Saferoads',
    identifierPrefix: opts.identifierPrefix ?? 'saferoads',
    status: opts.status ?? 'Actual',
    scope: opts.scope ?? 'Public',
    restriction: opts.restriction,
    addresses: opts.addresses,
    language: opts.language ?? 'en',
    areaShape: opts.areaShape ?? 'polygon',
    areaBufferM: opts.areaBufferM ?? 50,
    expiresAfterMs: opts.expiresAfterMs ?? 15 * 60_000,
    webBase: opts.webBase?.replace(/\/+$/, ''),
    feedId: opts.feedId ?? 'urn:saferoads:cap-feed',
    feedTitle: opts.feedTitle ?? 'Saferoads crash-risk alerts',
    feedUrl: opts.feedUrl,
  };
  if (typeof c.sender !== 'string' || !CAP_TOKEN.test(c.sender)) problems.push('sender: required, without spaces, commas, < or &');
  if (!CAP_TOKEN.test(c.identifierPrefix)) problems.push('identifierPrefix: without spaces, commas, < or &');
  if (!STATUSES.includes(c.status)) problems.push(`status: one of ${STATUSES.join(', ')}`);
  if (!SCOPES.includes(c.scope)) problems.push(`scope: one of ${SCOPES.join(', ')}`);
  if (c.scope === 'Restricted' && !c.restriction) problems.push('restriction: required with scope Restricted');
  if (c.scope === 'Private' && !c.addresses) problems.push('addresses: required with scope Private');
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(c.language)) problems.push('language: an RFC 3066 tag such as en or de-AT');
  if (c.areaShape !== 'polygon' && c.areaShape !== 'circle') problems.push('areaShape: polygon or circle');
  if (!Number.isFinite(c.areaBufferM) || c.areaBufferM < 1 || c.areaBufferM > 5000) problems.push('areaBufferM: a number of metres from 1 to 5000');
  if (!Number.isInteger(c.expiresAfterMs) || c.expiresAfterMs < 60_000) problems.push('expiresAfterMs: an integer of at least 60000');
  if (c.webBase !== undefined && !isUrl(c.webBase)) problems.push('webBase: an http(s) URL');
  if (c.feedUrl !== undefined && !isUrl(c.feedUrl)) problems.push('feedUrl: an http(s) URL');
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(c.feedId)) problems.push('feedId: an IRI such as urn:saferoads:cap-feed');
  if (problems.length > 0) throw new ConfigError('CAP export', problems);
  return c;
}
