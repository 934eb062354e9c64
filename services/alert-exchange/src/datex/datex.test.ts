import { describe, expect, it } from 'vitest';
import { ConfigError } from '@saferoads/shared/errors';
import { ESCALATED, GENERATED_AT, RAISED, SEGMENT } from '../testing/fixtures.js';
import { xmllint } from '../testing/xmllint.js';
import type { AlertView } from '../types.js';
import { datexConfig, datexSituationPublicationXml } from './situation.js';

const config = datexConfig({ country: 'AT', nationalIdentifier: 'saferoads' });

function tag(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
}

describe('datexSituationPublicationXml', () => {
  // No official DATEX II XSD could be bundled (docs/alert-exchange.md): the expected document was
  // checked by hand against the element order and enumerations of the v3 schemas.
  it('writes one situation with one Conditions record per alert, exactly, well-formed', () => {
    const xml = datexSituationPublicationXml([ESCALATED, RAISED], config, GENERATED_AT);
    expect(xml).toBe(EXPECTED);
    expect(xmllint(xml)).toEqual({ ok: true, output: '' });
  });

  it('is the same for the same alerts in any order', () => {
    expect(datexSituationPublicationXml([RAISED, ESCALATED], config, GENERATED_AT)).toBe(datexSituationPublicationXml([ESCALATED, RAISED], config, GENERATED_AT));
  });

  it.each([
    ['elevated', 'medium', 'riskOf', 'passableWithCare'],
    ['high', 'high', 'riskOf', 'hazardous'],
    ['severe', 'highest', 'probable', 'veryHazardous'],
  ] as const)('level %s is severity %s, probability %s, driving conditions %s', (level, severity, probability, driving) => {
    const xml = datexSituationPublicationXml([{ ...ESCALATED, level }], config, GENERATED_AT);
    expect(tag(xml, 'sit:overallSeverity')).toEqual([severity]);
    expect(tag(xml, 'sit:severity')).toEqual([severity]);
    expect(tag(xml, 'sit:probabilityOfOccurrence')).toEqual([probability]);
    expect(tag(xml, 'sit:drivingConditionType')).toEqual([driving]);
  });

  it('a resolved alert ends its validity at the resolving minute, one version later', () => {
    const end = ESCALATED.updatedAtMs + 600_000;
    const xml = datexSituationPublicationXml([{ ...ESCALATED, lifecycle: 'resolved', seq: 2, updatedAtMs: end }], config, GENERATED_AT);
    expect(tag(xml, 'com:validityStatus')).toEqual(['definedByValidityTimeSpec']);
    expect(tag(xml, 'com:overallStartTime')).toEqual(['2026-12-04T13:05:00Z']);
    expect(tag(xml, 'com:overallEndTime')).toEqual(['2026-12-04T13:30:00Z']);
    expect(xml).toContain('id="saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-r" version="3"');
  });

  it('an operator resolution ends it when the operator resolved', () => {
    const xml = datexSituationPublicationXml([{ ...ESCALATED, status: 'resolved', resolvedAtMs: Date.UTC(2026, 11, 4, 13, 25, 10) }], config, GENERATED_AT);
    expect(tag(xml, 'com:overallEndTime')).toEqual(['2026-12-04T13:25:10Z']);
    expect(tag(xml, 'sit:situationVersionTime')).toEqual(['2026-12-04T13:25:10Z']);
    expect(xml).toContain('version="3"');
  });

  it('escapes hostile names and cuts texts to the 1024 characters DATEX allows', () => {
    const v: AlertView = { ...ESCALATED, segment: { ...SEGMENT, name: `</loc:roadName><x>&${'ü'.repeat(2000)}` } };
    const xml = datexSituationPublicationXml([v], config, GENERATED_AT);
    expect(xmllint(xml).ok).toBe(true);
    expect(xml).not.toContain('<x>');
    for (const value of tag(xml, 'com:value')) expect(value.replace(/&[a-z]+;/g, '_').length).toBeLessThanOrEqual(1024);
  });

  it('leaves out an alert that cannot be exported, reports it, and keeps the others', () => {
    const bad: AlertView = { ...RAISED, segment: { ...RAISED.segment, coordinates: [[11.43, 95]] } };
    const invalid: string[][] = [];
    const xml = datexSituationPublicationXml([bad, ESCALATED], config, GENERATED_AT, (_v, p) => invalid.push([...p]));
    expect(invalid).toEqual([['segment.coordinates: a line needs at least 2 positions, got 1', 'segment.coordinates[0]: not a [lon, lat] in WGS 84']]);
    expect(tag(xml, 'sit:overallSeverity')).toEqual(['highest']);
  });

  it.each([
    [{ country: 'AUT', nationalIdentifier: 'x' }, 'country: an ISO 3166-1 alpha-2 code such as AT'],
    [{ country: 'AT', nationalIdentifier: ' ' }, 'nationalIdentifier: required, at most 1024 characters'],
    [{ country: 'AT', nationalIdentifier: 'x', informationStatus: 'live' }, 'informationStatus: one of real, securityExercise, technicalExercise, test'],
    [{ country: 'AT', nationalIdentifier: 'x', idPrefix: 'a b' }, 'idPrefix: 1 to 64 letters, digits, _ . or -'],
  ])('datexConfig refuses %j: %s', (opts, problem) => {
    expect(() => datexConfig(opts as never)).toThrow(ConfigError);
    expect(() => datexConfig(opts as never)).toThrow(problem);
  });
});

const EXPECTED = `<?xml version="1.0" encoding="UTF-8"?>
<d2:payload xmlns:d2="http://datex2.eu/schema/3/d2Payload" xmlns:com="http://datex2.eu/schema/3/common" xmlns:sit="http://datex2.eu/schema/3/situation" xmlns:loc="http://datex2.eu/schema/3/locationReferencing" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="sit:SituationPublication" lang="en" modelBaseVersion="3">
  <com:publicationTime>2026-12-04T13:21:30Z</com:publicationTime>
  <com:publicationCreator>
    <com:country>AT</com:country>
    <com:nationalIdentifier>saferoads</com:nationalIdentifier>
  </com:publicationCreator>
  <sit:situation id="saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b">
    <sit:overallSeverity>highest</sit:overallSeverity>
    <sit:situationVersionTime>2026-12-04T13:20:00Z</sit:situationVersionTime>
    <sit:headerInformation>
      <com:confidentiality>noRestriction</com:confidentiality>
      <com:informationStatus>real</com:informationStatus>
    </sit:headerInformation>
    <sit:situationRecord xsi:type="sit:Conditions" id="saferoads-0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b-r" version="2">
      <sit:situationRecordCreationTime>2026-12-04T13:05:00Z</sit:situationRecordCreationTime>
      <sit:situationRecordObservationTime>2026-12-04T13:20:00Z</sit:situationRecordObservationTime>
      <sit:situationRecordVersionTime>2026-12-04T13:20:00Z</sit:situationRecordVersionTime>
      <sit:probabilityOfOccurrence>probable</sit:probabilityOfOccurrence>
      <sit:severity>highest</sit:severity>
      <sit:safetyRelatedMessage>true</sit:safetyRelatedMessage>
      <sit:source>
        <com:sourceIdentification>saferoads</com:sourceIdentification>
        <com:sourceType>inductionLoopMonitoringStation</com:sourceType>
      </sit:source>
      <sit:validity>
        <com:validityStatus>active</com:validityStatus>
        <com:validityTimeSpecification>
          <com:overallStartTime>2026-12-04T13:05:00Z</com:overallStartTime>
        </com:validityTimeSpecification>
      </sit:validity>
      <sit:generalPublicComment>
        <sit:comment>
          <com:values>
            <com:value lang="en">Severe crash risk on A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound). Alert escalated from high to severe. Crash risk 6.8 times the road's reference (0.42 % in the next 15 minutes). Top factors: precipitation 55 %, speed variation 30 %, short gaps 15 %.</com:value>
          </com:values>
        </sit:comment>
        <sit:commentType>description</sit:commentType>
      </sit:generalPublicComment>
      <sit:locationReference xsi:type="loc:SingleRoadLinearLocation">
        <loc:coordinatesForDisplay>
          <loc:latitude>47.20085</loc:latitude>
          <loc:longitude>11.40085</loc:longitude>
        </loc:coordinatesForDisplay>
        <loc:supplementaryPositionalDescription>
          <loc:infrastructureDescriptor>onBridge</loc:infrastructureDescriptor>
          <loc:lengthAffected>228</loc:lengthAffected>
          <loc:locationDescription>
            <com:values>
              <com:value lang="en">A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound)</com:value>
            </com:values>
          </loc:locationDescription>
          <loc:roadInformation>
            <loc:roadName>Schönberg &amp; &lt;Stubai&gt; "Nord"</loc:roadName>
            <loc:roadNumber>A13</loc:roadNumber>
          </loc:roadInformation>
        </loc:supplementaryPositionalDescription>
        <loc:gmlLineString srsDimension="2" srsName="EPSG:4326">
          <loc:posList>47.20000 11.40001 47.20100 11.40100 47.20150 11.40200</loc:posList>
        </loc:gmlLineString>
      </sit:locationReference>
      <sit:drivingConditionType>veryHazardous</sit:drivingConditionType>
    </sit:situationRecord>
  </sit:situation>
  <sit:situation id="saferoads-7d1e2f30-4a5b-8c6d-8e7f-8091a2b3c4d5">
    <sit:overallSeverity>high</sit:overallSeverity>
    <sit:situationVersionTime>2026-12-04T13:05:00Z</sit:situationVersionTime>
    <sit:headerInformation>
      <com:confidentiality>noRestriction</com:confidentiality>
      <com:informationStatus>real</com:informationStatus>
    </sit:headerInformation>
    <sit:situationRecord xsi:type="sit:Conditions" id="saferoads-7d1e2f30-4a5b-8c6d-8e7f-8091a2b3c4d5-r" version="1">
      <sit:situationRecordCreationTime>2026-12-04T13:05:00Z</sit:situationRecordCreationTime>
      <sit:situationRecordObservationTime>2026-12-04T13:05:00Z</sit:situationRecordObservationTime>
      <sit:situationRecordVersionTime>2026-12-04T13:05:00Z</sit:situationRecordVersionTime>
      <sit:probabilityOfOccurrence>riskOf</sit:probabilityOfOccurrence>
      <sit:severity>high</sit:severity>
      <sit:safetyRelatedMessage>true</sit:safetyRelatedMessage>
      <sit:source>
        <com:sourceIdentification>saferoads</com:sourceIdentification>
        <com:sourceType>inductionLoopMonitoringStation</com:sourceType>
      </sit:source>
      <sit:validity>
        <com:validityStatus>active</com:validityStatus>
        <com:validityTimeSpecification>
          <com:overallStartTime>2026-12-04T13:05:00Z</com:overallStartTime>
        </com:validityTimeSpecification>
      </sit:validity>
      <sit:generalPublicComment>
        <sit:comment>
          <com:values>
            <com:value lang="en">High crash risk on segment A13-S-002 (southbound). Alert raised at level high. Crash risk 3.9 times the road's reference (0.21 % in the next 15 minutes). Top factors: no dominant factor.</com:value>
          </com:values>
        </sit:comment>
        <sit:commentType>description</sit:commentType>
      </sit:generalPublicComment>
      <sit:locationReference xsi:type="loc:SingleRoadLinearLocation">
        <loc:coordinatesForDisplay>
          <loc:latitude>47.24975</loc:latitude>
          <loc:longitude>11.43050</loc:longitude>
        </loc:coordinatesForDisplay>
        <loc:supplementaryPositionalDescription>
          <loc:lengthAffected>94</loc:lengthAffected>
          <loc:locationDescription>
            <com:values>
              <com:value lang="en">segment A13-S-002 (southbound)</com:value>
            </com:values>
          </loc:locationDescription>
        </loc:supplementaryPositionalDescription>
        <loc:gmlLineString srsDimension="2" srsName="EPSG:4326">
          <loc:posList>47.25000 11.43000 47.24950 11.43100</loc:posList>
        </loc:gmlLineString>
      </sit:locationReference>
      <sit:drivingConditionType>hazardous</sit:drivingConditionType>
    </sit:situationRecord>
  </sit:situation>
</d2:payload>`;
