import { description, eventName, factorsText, headline, percentText, ratioText, segmentLabel } from '../describe.js';
import type { AlertEvent, AlertSegment } from '../types.js';

/** Slack's mrkdwn and plain text take `&`, `<` and `>` only as entities (Slack: formatting text). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function minute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export type SlackTextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: SlackTextObject }
  | { type: 'section'; text?: SlackTextObject; fields?: SlackTextObject[] }
  | { type: 'context'; elements: SlackTextObject[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackTextObject; url: string }[] };

export interface SlackPayload {
  /** The fallback text: notifications, and receivers that ignore blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/**
 * The message for one lifecycle step, in Slack's incoming-webhook form (`text` plus Block Kit
 * `blocks`); Mattermost, Rocket.Chat and Teams' Slack-compatible hooks read `text`.
 */
export function slackPayload(e: AlertEvent, opts: { alertLinkBase?: string } = {}): SlackPayload {
  const segment: AlertSegment = e.segment ?? { segmentId: e.segmentId, direction: 'direction unknown', coordinates: [] };
  const d = { level: e.level, previousLevel: e.previousLevel, lifecycle: e.type, risk: e.risk, relativeRisk: e.relativeRisk, factors: e.factors, segment };
  const title = headline(d);
  const blocks: SlackBlock[] = [
    // Header blocks are plain text of at most 150 characters.
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(description(d)) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Segment*\n${slackEscape(`${segment.segmentId}, ${segmentLabel(segment)}`)}` },
        { type: 'mrkdwn', text: `*Level*\n${e.previousLevel && e.previousLevel !== e.level ? `${e.previousLevel} → ${e.level}` : e.level}` },
        { type: 'mrkdwn', text: `*Relative risk*\n${ratioText(e.relativeRisk)}× (${percentText(e.risk)})` },
        { type: 'mrkdwn', text: `*Minute*\n${minute(e.windowEndMs)}` },
      ],
    },
  ];
  if (opts.alertLinkBase) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open alert' }, url: `${opts.alertLinkBase}/${e.alertId}` }] });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Saferoads · ${eventName(e.level)} · event ${slackEscape(e.eventId)}` }] });
  return { text: slackEscape(`${title}: ${factorsText(e.factors)}`), blocks };
}
