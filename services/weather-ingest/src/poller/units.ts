/**
 * Conversions of Open-Meteo's units (as `current_units` names them) to the contract's. The poller
 * reads the units the response declares rather than assuming its own request's, so a proxy or a
 * self-hosted instance with other defaults still converts right.
 */
type Conversion = (v: number) => number;

const WIND: Readonly<Record<string, Conversion>> = {
  'km/h': (v) => v / 3.6,
  'm/s': (v) => v,
  'mp/h': (v) => v * 0.44704,
  mph: (v) => v * 0.44704,
  kn: (v) => v * 0.514444,
};

const TEMPERATURE: Readonly<Record<string, Conversion>> = {
  '°C': (v) => v,
  '°F': (v) => ((v - 32) * 5) / 9,
};

const LENGTH_MM: Readonly<Record<string, Conversion>> = {
  mm: (v) => v,
  inch: (v) => v * 25.4,
};

const DISTANCE_M: Readonly<Record<string, Conversion>> = {
  m: (v) => v,
  ft: (v) => v * 0.3048,
};

export const UNIT_TABLES = { wind: WIND, temperature: TEMPERATURE, precipitation: LENGTH_MM, distance: DISTANCE_M } as const;
export type Quantity = keyof typeof UNIT_TABLES;

/** The conversion of `unit` to the contract's unit of `quantity`, or undefined for a unit not known here. */
export function converter(quantity: Quantity, unit: string | undefined): Conversion | undefined {
  return unit === undefined ? undefined : UNIT_TABLES[quantity][unit];
}
