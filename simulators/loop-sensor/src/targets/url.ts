/** Where a simulator's `--target <url>` delivers its records. */
export type TargetSpec =
  | {
      readonly kind: 'http';
      /** The gateway's batch URL, e.g. `POST /v1/detections`. */
      readonly endpoint: string;
    }
  | {
      readonly kind: 'kafka';
      /** Bootstrap brokers, `host:port` each. */
      readonly brokers: readonly string[];
    };

/** A --target value that cannot be used; the message completes "option '--target' …". */
export class TargetUrlError extends RangeError {
  override readonly name = 'TargetUrlError';
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const USAGE = 'use http://host:port, https://host:port or kafka://host:port[,host:port]';

/** The gateway a simulator's http targets post to. */
export interface GatewayRoute {
  /** The batch path, appended unless the URL ends in it. */
  readonly endpoint: string;
  /** The gateway's own port, for examples in messages. */
  readonly port: number;
}

/** The loop ingest gateway. */
export const DETECTIONS_ROUTE: GatewayRoute = { endpoint: '/v1/detections', port: 8081 };

/** Parses and checks a --target URL; throws TargetUrlError saying what is wrong. */
export function parseTarget(raw: string, route: GatewayRoute = DETECTIONS_ROUTE): TargetSpec {
  const text = raw.trim();
  const m = SCHEME.exec(text);
  if (!m) throw new TargetUrlError(`must be a URL such as http://localhost:${route.port} or kafka://localhost:9092, got "${raw}"`);
  const scheme = m[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return httpTarget(text, text.slice(m[0].length), route);
  if (scheme === 'kafka') return kafkaTarget(text, text.slice(m[0].length));
  throw new TargetUrlError(`has unsupported scheme "${m[1]}": ${USAGE}`);
}

/** A port as typed, checked for range; `where` is the text the message quotes. */
function checkPort(port: string, where: string): void {
  const n = Number(port);
  if (!(n >= 1 && n <= 65_535)) throw new TargetUrlError(`has port ${port} in "${where}": ports run from 1 to 65535`);
}

function httpTarget(text: string, rest: string, route: GatewayRoute): TargetSpec {
  // Credentials would end up in messages and logs; the gateway does not take them anyway.
  const authority = /^[^/?#]*/.exec(rest)![0];
  if (authority.includes('@')) throw new TargetUrlError('must not carry credentials');
  // The URL class drops a scheme's default port (http://h:80 → port ""), so read the port as typed.
  // Required: the gateway listens on its own port, and a silent port 80 would only fail after every retry.
  const port = /:(\d+)$/.exec(authority);
  if (!port) throw new TargetUrlError(`needs a port, e.g. http://localhost:${route.port}, got "${text}"`);
  checkPort(port[1], text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetUrlError(`is not a valid URL: "${text}"`);
  }
  if (url.search !== '' || url.hash !== '') throw new TargetUrlError(`must not have a query or fragment, got "${text}"`);
  // A path is a prefix (a gateway behind a proxy at /ingest/); the endpoint is appended unless given.
  if (!url.pathname.endsWith(route.endpoint)) url.pathname = url.pathname.replace(/\/$/, '') + route.endpoint;
  return { kind: 'http', endpoint: url.href };
}

function kafkaTarget(text: string, rest: string): TargetSpec {
  if (rest.includes('@')) {
    throw new TargetUrlError('must not carry credentials: set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD instead');
  }
  const list = rest.replace(/\/$/, '');
  if (/[/?#]/.test(list)) throw new TargetUrlError(`takes brokers only (kafka://host:port[,host:port]), got "${text}"`);
  const brokers = list.split(',').map((b) => b.trim());
  if (brokers.every((b) => b === '')) throw new TargetUrlError(`names no broker, got "${text}"`);
  for (const b of brokers) {
    if (b === '') throw new TargetUrlError(`has an empty broker in "${text}"`);
    const m = /^(.*):(\d+)$/.exec(b);
    if (!m) throw new TargetUrlError(`needs a port for every broker, e.g. kafka://localhost:9092, got "${text}"`);
    if (m[1] === '') throw new TargetUrlError(`has a broker without a host in "${text}"`);
    checkPort(m[2], text);
  }
  return { kind: 'kafka', brokers };
}
