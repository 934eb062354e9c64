/**
 * CAP 1.2 date-time: `2026-12-04T13:20:00-00:00`. CAP forbids `Z` and fractions and writes UTC as
 * `-00:00` (CAP 1.2, 3.3.2); the schema's pattern checks the form.
 */
export function capTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}-00:00`;
}

/** xs:dateTime in UTC without fractions (DATEX II, Atom's RFC 3339): `2026-12-04T13:20:00Z`. */
export function isoTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
