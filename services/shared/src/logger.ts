import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * One logger per service; stages take `log.child({ stage })`. Credentials are redacted wherever
 * they appear in a logged configuration object.
 */
export function createLogger(service: string, opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    {
      name: service,
      level,
      redact: { paths: ['*.password', '*.sasl.password', '*.ssl.key', 'password', 'sasl.password'], censor: '[redacted]' },
    },
    opts.destination ?? pino.destination(2),
  );
}
