import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from './partitioner.js';

describe('Kafka default partitioner', () => {
  // Reference values of Java's org.apache.kafka.common.utils.Utils.murmur2 (also kafkajs' test vectors)
  it.each([
    ['0', 971027396],
    ['1', -1993445489],
    ['128', -326012175],
    ['2187', -1508407203],
    ['16384', -325739742],
    ['78125', -1654490814],
    ['279936', 1462227128],
    ['823543', -2014198330],
    ['2097152', 607668903],
    ['4782969', -1182699775],
    ['10000000', -1830336757],
  ])('murmur2(%s) = %d', (key, hash) => {
    expect(murmur2(key)).toBe(hash);
  });

  it('maps a key to toPositive(murmur2) modulo the partition count', () => {
    expect(partitionFor('1', 6)).toBe((-1993445489 & 0x7fffffff) % 6);
    expect(partitionFor('A13-S-001', 1)).toBe(0);
  });
});
