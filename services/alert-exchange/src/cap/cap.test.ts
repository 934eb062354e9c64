import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, SaferoadsError } from '@saferoads/shared/errors';
import { ESCALATED, GENERATED_AT, RAISED, RAISED_AT, SEGMENT } from '../testing/fixtures.js';
import { CAP_XSD, xmllint } from '../testing/xmllint.js';
import type { AlertView } from '../types.js';
import { capAlertXml, capIdentifier, capMsgType } from './alert.js';
import { capConfig } from './config.js';
import { capFeedXml } from './feed.js';

const config = capConfig({ sender: 'saferoads@traffic.example.org', webBase: 'https://saferoads.example.org/alerts' });

function tag(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
}

/** Each CAP alert inlined in an Atom feed, as a document of its own (the feed is pretty-printed by us). */
function inlineAlerts(feed: string): string[] {
  return (feed.match(/<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/g) ?? []).map((a) => `<?xml version="1.0" encoding="UTF-8"?>\n${a}`);
}

describe('the bundled CAP 1.2 schema', () => {
  it('is the file NOTICE.md names (sha256)', () => {
    expect(createHash('sha256').update(readFileSync(CAP_XSD)).digest('hex')).toBe('b7798ef25868b068c97b268bda02d067c7d4ba9373adc5638bf37105804ee723');
  });

  it('refuses a document that breaks it (so a passing validation means something)', () => {
    const bad = capAlertXml(ESCALATED, config, GENERATED_AT).replace('<msgType>Update</msgType>', '<msgType>Upgrade</msgType>');
    const r = xmllint(bad, CAP_XSD);
    expect(r.ok).toBe(false);
    expect(r.output).toContain("'Upgrade' is not an element of the set");
  });
});

describe('capAlertXml', () => {
  it('writes an escalated alert exactly, valid against the OASIS schema', () => {
    const xml = capAlertXml(ESCALATED, config, GENERATED_AT);
    expect(xml).toBe(EXPECTED_ESCALATED);
    expect(xmllint(xml, CAP_XSD)).toEqual({ ok: true, output: '- validates' });
  });

  it('escapes & < > in segment names, and the text reads back as it was', () => {
    const xml = capAlertXml(ESCALATED, config, GENERATED_AT);
    expect(tag(xml, 'areaDesc')).toEqual(['A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound)']);
    const hostile: AlertView = { ...ESCALATED, segment: { ...SEGMENT, name: `]]><script>alert('x')</script> & "q" 'a'` } };
    const h = capAlertXml(hostile, config, GENERATED_AT);
    expect(xmllint(h, CAP_XSD).ok).toBe(true);
    expect(h).not.toContain('<script>');
    expect(tag(h, 'areaDesc')).toEqual([`A13 ]]&gt;&lt;script&gt;alert('x')&lt;/script&gt; &amp; "q" 'a' (northbound)`]);
  });

  it.each([
    ['raised', 'open', 'Alert'],
    ['escalated', 'open', 'Update'],
    ['deescalated', 'acknowledged', 'Update'],
    ['resolved', 'open', 'Cancel'],
    ['escalated', 'resolved', 'Cancel'],
  ] as const)('lifecycle %s with status %s is msgType %s', (lifecycle, status, msgType) => {
    const v: AlertView = { ...ESCALATED, lifecycle, status, resolvedAtMs: ESCALATED.updatedAtMs + 60_000 };
    expect(capMsgType(v)).toBe(msgType);
    const xml = capAlertXml(v, config, GENERATED_AT);
    expect(tag(xml, 'msgType')).toEqual([msgType]);
    expect(xmllint(xml, CAP_XSD).ok).toBe(true);
  });

  it.each([
    ['elevated', 'Expected', 'Minor', 'Possible'],
    ['high', 'Immediate', 'Moderate', 'Likely'],
    ['severe', 'Immediate', 'Severe', 'Likely'],
  ] as const)('level %s is urgency %s, severity %s, certainty %s', (level, urgency, severity, certainty) => {
    const xml = capAlertXml({ ...ESCALATED, level }, config, GENERATED_AT);
    expect([tag(xml, 'urgency'), tag(xml, 'severity'), tag(xml, 'certainty')]).toEqual([[urgency], [severity], [certainty]]);
  });

  it('a resolved alert is a Cancel with urgency Past, All Clear, referring to the message that raised it', () => {
    const xml = capAlertXml({ ...ESCALATED, lifecycle: 'resolved', seq: 3, updatedAtMs: ESCALATED.updatedAtMs + 600_000 }, config, GENERATED_AT);
    expect(tag(xml, 'identifier')).toEqual(['saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-3']);
    expect(tag(xml, 'urgency')).toEqual(['Past']);
    expect(tag(xml, 'responseType')).toEqual(['AllClear']);
    expect(tag(xml, 'references')).toEqual(['saferoads@traffic.example.org,saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-0,2026-12-04T13:05:00-00:00']);
    expect(tag(xml, 'headline')).toEqual(['Severe crash risk on A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound) ended']);
  });

  it('an operator resolution is a Cancel of its own, sent when the operator resolved', () => {
    const v: AlertView = { ...ESCALATED, status: 'resolved', resolvedAtMs: Date.UTC(2026, 11, 4, 13, 25, 10) };
    const xml = capAlertXml(v, config, GENERATED_AT);
    expect(tag(xml, 'identifier')).toEqual(['saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-1-resolved']);
    expect(tag(xml, 'sent')).toEqual(['2026-12-04T13:25:10-00:00']);
  });

  it('identifiers are deterministic: the same alertId and seq, the same identifier; a raised alert refers to nothing', () => {
    expect(capIdentifier(config, RAISED)).toBe('saferoads-7d1e2f30-4a5b-8c6d-8e7f-8091a2b3c4d5-0');
    expect(capAlertXml(RAISED, config, GENERATED_AT)).toBe(capAlertXml({ ...RAISED }, config, GENERATED_AT));
    expect(tag(capAlertXml(RAISED, config, GENERATED_AT), 'references')).toEqual([]);
  });

  it('expires the export time plus expiresAfterMs, and never before the message was sent', () => {
    const c = capConfig({ sender: 'x@y.z', expiresAfterMs: 3_600_000 });
    expect(tag(capAlertXml(RAISED, c, GENERATED_AT), 'expires')).toEqual(['2026-12-04T14:21:30-00:00']);
    expect(tag(capAlertXml(RAISED, c, RAISED_AT - 999_000), 'expires')).toEqual(['2026-12-04T14:05:00-00:00']);
  });

  it('scope Restricted carries its restriction; a circle area when asked', () => {
    const c = capConfig({ sender: 'x@y.z', scope: 'Restricted', restriction: 'Traffic centres only', areaShape: 'circle' });
    const xml = capAlertXml(ESCALATED, c, GENERATED_AT);
    expect(tag(xml, 'restriction')).toEqual(['Traffic centres only']);
    expect(tag(xml, 'circle')).toEqual(['47.20085,11.40085 0.17']);
    expect(xmllint(xml, CAP_XSD).ok).toBe(true);
  });

  it('refuses an alert it cannot draw, naming the field', () => {
    const v: AlertView = { ...ESCALATED, segment: { ...SEGMENT, coordinates: [[11.4, 47.2]] } };
    expect(() => capAlertXml(v, config, GENERATED_AT)).toThrow(SaferoadsError);
    expect(() => capAlertXml(v, config, GENERATED_AT)).toThrow('segment.coordinates: a line needs at least 2 positions, got 1');
  });
});

describe('capFeedXml', () => {
  it('wraps alerts in an Atom feed, newest first, each inline CAP alert valid and equal to the standalone one', () => {
    const feed = capFeedXml([RAISED, ESCALATED], config, GENERATED_AT);
    expect(xmllint(feed)).toEqual({ ok: true, output: '' });
    expect(tag(feed, 'id')).toEqual(['urn:saferoads:cap-feed', 'urn:uuid:0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b', 'urn:uuid:7d1e2f30-4a5b-8c6d-8e7f-8091a2b3c4d5']);
    expect(tag(feed, 'updated')).toEqual(['2026-12-04T13:21:30Z', '2026-12-04T13:20:00Z', '2026-12-04T13:05:00Z']);
    const alerts = inlineAlerts(feed);
    expect(alerts).toHaveLength(2);
    for (const a of alerts) expect(xmllint(a, CAP_XSD)).toEqual({ ok: true, output: '- validates' });
    const squash = (s: string) => s.replace(/\n\s*/g, '');
    expect(squash(alerts[0])).toBe(squash(capAlertXml(ESCALATED, config, GENERATED_AT)));
    expect(squash(alerts[1])).toBe(squash(capAlertXml(RAISED, config, GENERATED_AT)));
  });

  it('is the same for the same alerts in any order', () => {
    expect(capFeedXml([ESCALATED, RAISED], config, GENERATED_AT)).toBe(capFeedXml([RAISED, ESCALATED], config, GENERATED_AT));
  });

  it('leaves out an alert that cannot be exported, reports it, and keeps the others', () => {
    const bad: AlertView = { ...RAISED, alertId: '7d1e2f30-4a5b-8c6d-8e7f-000000000000', risk: Number.NaN };
    const invalid: [string, readonly string[]][] = [];
    const feed = capFeedXml([bad, ESCALATED], config, GENERATED_AT, (v, p) => invalid.push([v.alertId, p]));
    expect(invalid).toEqual([['7d1e2f30-4a5b-8c6d-8e7f-000000000000', ['risk: not a probability']]]);
    expect(inlineAlerts(feed)).toHaveLength(1);
  });

  it('an empty feed is still a feed', () => {
    const feed = capFeedXml([], config, GENERATED_AT);
    expect(feed).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <id>urn:saferoads:cap-feed</id>\n  <title>Saferoads crash-risk alerts</title>\n  <updated>2026-12-04T13:21:30Z</updated>\n  <author>\n    <name>Saferoads</name>\n  </author>\n</feed>',
    );
  });
});

describe('capConfig', () => {
  it.each([
    [{ sender: 'has space' }, 'sender: required, without spaces, commas, < or &'],
    [{ sender: 'a@b', scope: 'Private' }, 'addresses: required with scope Private'],
    [{ sender: 'a@b', status: 'Real' }, 'status: one of Actual, Exercise, System, Test, Draft'],
    [{ sender: 'a@b', areaBufferM: 0 }, 'areaBufferM: a number of metres from 1 to 5000'],
    [{ sender: 'a@b', expiresAfterMs: 1000 }, 'expiresAfterMs: an integer of at least 60000'],
    [{ sender: 'a@b', webBase: 'javascript:alert(1)' }, 'webBase: an http(s) URL'],
  ])('refuses %j: %s', (opts, problem) => {
    expect(() => capConfig(opts as never)).toThrow(ConfigError);
    expect(() => capConfig(opts as never)).toThrow(problem);
  });
});

const EXPECTED_ESCALATED = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-1</identifier>
  <sender>saferoads@traffic.example.org</sender>
  <sent>2026-12-04T13:20:00-00:00</sent>
  <status>Actual</status>
  <msgType>Update</msgType>
  <scope>Public</scope>
  <references>saferoads@traffic.example.org,saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-0,2026-12-04T13:05:00-00:00</references>
  <incidents>0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b</incidents>
  <info>
    <language>en</language>
    <category>Transport</category>
    <event>Severe crash risk</event>
    <responseType>Monitor</responseType>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <effective>2026-12-04T13:20:00-00:00</effective>
    <onset>2026-12-04T13:05:00-00:00</onset>
    <expires>2026-12-04T13:36:30-00:00</expires>
    <senderName>Saferoads</senderName>
    <headline>Severe crash risk on A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound)</headline>
    <description>Alert escalated from high to severe. Crash risk 6.8 times the road's reference (0.42 % in the next 15 minutes). Top factors: precipitation 55 %, speed variation 30 %, short gaps 15 %.</description>
    <web>https://saferoads.example.org/alerts/0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b</web>
    <parameter>
      <valueName>saferoadsSegmentId</valueName>
      <value>A13-N-007</value>
    </parameter>
    <parameter>
      <valueName>saferoadsLevel</valueName>
      <value>severe</value>
    </parameter>
    <parameter>
      <valueName>saferoadsRelativeRisk</valueName>
      <value>6.84</value>
    </parameter>
    <parameter>
      <valueName>saferoadsRisk</valueName>
      <value>0.004200</value>
    </parameter>
    <parameter>
      <valueName>saferoadsStatus</valueName>
      <value>acknowledged</value>
    </parameter>
    <area>
      <areaDesc>A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound)</areaDesc>
      <polygon>47.20068,11.40148 47.20114,11.40239 47.20127,11.40257 47.20143,11.40265 47.20161,11.40264 47.20177,11.40253 47.20188,11.40234 47.20194,11.40210 47.20194,11.40184 47.20186,11.40161 47.20136,11.40061 47.20125,11.40045 47.20025,11.39946 47.20009,11.39936 47.19991,11.39936 47.19975,11.39946 47.19963,11.39964 47.19956,11.39988 47.19956,11.40014 47.19963,11.40038 47.19975,11.40056 47.20068,11.40148</polygon>
    </area>
  </info>
</alert>`;
