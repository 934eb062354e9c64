import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaferoadsError } from '../errors.js';
import { collectionName, parseNetwork } from './parse.js';
import type { Network } from './types.js';

/** The bundled demo network: an approximate model of the A13 Brenner Autobahn (see docs/network.md). */
export const DEFAULT_NETWORK_PATH = fileURLToPath(new URL('../../data/networks/a13-brenner.geojson', import.meta.url));

/**
 * Reads and validates a network file. Synchronous on purpose: services load their network once at
 * start-up, before they consume anything, and cannot do anything useful without it.
 */
export function loadNetwork(path: string = DEFAULT_NETWORK_PATH): Network {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SaferoadsError('IO_FAILED', `cannot read network file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SaferoadsError('NETWORK_INVALID', `network file ${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseNetwork(json, collectionName(json) ?? basename(path).replace(/\.(geo)?json$/i, ''));
}
