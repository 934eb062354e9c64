import { describe, expect, it } from 'vitest';
import { SaferoadsError } from '@saferoads/shared/errors';
import { loadNetwork } from '@saferoads/shared/network';
import { capAlertXml } from './cap/alert.js';
import { capConfig } from './cap/config.js';
import { alertSegmentOf } from './segment.js';
import { ESCALATED, GENERATED_AT } from './testing/fixtures.js';
import { CAP_XSD, xmllint } from './testing/xmllint.js';

const network = loadNetwork();

describe('alertSegmentOf', () => {
  it('takes names, direction, structure and the line from the bundled network', () => {
    const s = alertSegmentOf(network, 'A13-S-001');
    expect({ ...s, coordinates: s.coordinates.length }).toEqual({
      segmentId: 'A13-S-001',
      name: 'A13 S Innsbruck-Amras – Bergisel tunnel (1/2)',
      road: 'A13',
      direction: 'southbound',
      country: 'AT',
      coordinates: network.byId.get('A13-S-001')!.coordinates.length,
    });
  });

  it('names a segment the network does not have', () => {
    expect(() => alertSegmentOf(network, 'nowhere')).toThrow(SaferoadsError);
    expect(() => alertSegmentOf(network, 'nowhere')).toThrow('segment nowhere is not in network A13 Brenner Autobahn (approximate model)');
  });

  it('every segment of the bundled network exports as a CAP alert the schema accepts', () => {
    const c = capConfig({ sender: 'saferoads@traffic.example.org' });
    const failures = network.segments
      .map((seg) => ({ id: seg.id, r: xmllint(capAlertXml({ ...ESCALATED, segmentId: seg.id, segment: alertSegmentOf(network, seg.id) }, c, GENERATED_AT), CAP_XSD) }))
      .filter((x) => !x.r.ok);
    expect(failures).toEqual([]);
  });
});
