import { InvalidArgumentError } from 'commander';

/** commander argument parsers that refuse bad values with the option's name and the reason. */
export function numberOption(name: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`${name} must be a number, got "${raw}"`);
    if (v < min || v > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${v}`);
    return v;
  };
}

export function intOption(name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  const parse = numberOption(name, min, max);
  return (raw: string): number => {
    const v = parse(raw);
    if (!Number.isInteger(v)) throw new InvalidArgumentError(`${name} must be a whole number, got ${v}`);
    return v;
  };
}
