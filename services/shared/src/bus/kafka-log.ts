import type { LogEntry, logCreator } from 'kafkajs';
import { logLevel } from './kafkajs.js';
import type { Logger } from '../logger.js';

const REDACTED = '[redacted]';
/** Field names whose values are secrets whatever they hold. */
const SECRET_KEY = /password|passwd|secret|token|privatekey|^key$|^sasl$/i;

/** kafkajs' level for a pino level, so kafkajs does not even build entries pino would drop. */
export function kafkaLogLevel(level: string): logLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** Replaces every occurrence of a secret, at any depth, and every field named like a secret. */
export function scrubSecrets(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return secrets.reduce((s, secret) => s.split(secret).join(REDACTED), value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[nested too deep]';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, secrets, depth + 1));
  // Errors lose their message and stack under Object.entries, so they are copied explicitly.
  const source: Record<string, unknown> = value instanceof Error ? { ...value, type: value.name, message: value.message, stack: value.stack } : { ...value };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) out[k] = SECRET_KEY.test(k) && v !== undefined ? REDACTED : scrubSecrets(v, secrets, depth + 1);
  return out;
}

/**
 * kafkajs logs at ERROR every error code a broker answers with, and then retries the retriable
 * ones (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS, ...): a
 * WARN. A request that finally fails reaches the caller as a thrown error. It also warns on
 * every idempotent producer whose retries are bounded; ours are on purpose (docs/kafka.md): DEBUG.
 */
export function effectiveLevel(namespace: string, level: logLevel, message: string): logLevel {
  if (level === logLevel.ERROR && namespace === 'Connection' && message.startsWith('Response ')) return logLevel.WARN;
  if (level === logLevel.WARN && message.startsWith('Limiting retries for the idempotent producer')) return logLevel.DEBUG;
  return level;
}

/**
 * Routes kafkajs' own log lines to a pino logger (a `kafkajs` child), with the configured secrets
 * (SASL password, TLS private key) replaced wherever they would appear.
 */
export function kafkaLogCreator(log: Logger, secrets: readonly string[]): logCreator {
  const child = log.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, ...extra } = entry;
      const fields = scrubSecrets({ namespace, ...extra }, secrets) as Record<string, unknown>;
      const text = scrubSecrets(String(message), secrets) as string;
      const at = effectiveLevel(namespace, level, text);
      if (at === logLevel.ERROR) child.error(fields, text);
      else if (at === logLevel.WARN) child.warn(fields, text);
      else if (at === logLevel.INFO) child.info(fields, text);
      else child.debug(fields, text);
    };
}
