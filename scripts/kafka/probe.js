// Readiness probe for the local broker, Node built-ins only (no kafkajs needed).
// Sends one Metadata v4 request (supported by Kafka 1.0 .. 4.x) over the PLAINTEXT
// listener and exits 0 when the broker lists itself and a controller, else 1.
//
// --warm: instead, until timeoutMs, asks FindCoordinator (v1) for a consumer group and a
// transactional id, and InitProducerId (v1, no transactional id), until all three answer
// without error. That creates and loads the internal topics __consumer_offsets and
// __transaction_state and makes the broker fetch a block of producer ids from the
// controller, so the first consumer group / idempotent or transactional producer of a test
// does not wait through COORDINATOR_NOT_AVAILABLE / COORDINATOR_LOAD_IN_PROGRESS retries.
//
//   node scripts/kafka/probe.js [host] [port] [timeoutMs] [--warm]
import net from 'node:net';
import { Buffer } from 'node:buffer';
import { setTimeout, clearTimeout } from 'node:timers';

const host = process.argv[2] || '127.0.0.1';
const port = Number(process.argv[3] || 9092);
const timeoutMs = Number(process.argv[4] || 2000);
const warm = process.argv.includes('--warm');

function frame(apiKey, apiVersion, payload) {
  const clientId = Buffer.from('saferoads-kafka-probe');
  const header = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let o = 0;
  o = header.writeInt16BE(apiKey, o);
  o = header.writeInt16BE(apiVersion, o);
  o = header.writeInt32BE(1, o); // correlation_id
  o = header.writeInt16BE(clientId.length, o);
  clientId.copy(header, o);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + payload.length);
  return Buffer.concat([size, header, payload]);
}

function metadataRequest() {
  const payload = Buffer.alloc(4 + 1);
  payload.writeInt32BE(0, 0); // topics: empty array (no topic metadata)
  payload.writeInt8(0, 4); // allow_auto_topic_creation
  return frame(3, 4, payload); // Metadata v4
}

function findCoordinatorRequest(key, keyType) {
  const k = Buffer.from(key);
  const payload = Buffer.alloc(2 + k.length + 1);
  payload.writeInt16BE(k.length, 0);
  k.copy(payload, 2);
  payload.writeInt8(keyType, 2 + k.length); // 0 = group, 1 = transaction
  return frame(10, 1, payload); // FindCoordinator v1
}

function initProducerIdRequest() {
  const payload = Buffer.alloc(2 + 4);
  payload.writeInt16BE(-1, 0); // transactional_id: null (idempotent producer)
  payload.writeInt32BE(60000, 2); // transaction_timeout_ms
  return frame(22, 1, payload); // InitProducerId v1
}

// FindCoordinator v1 and InitProducerId v1 responses both start with
// correlation_id, throttle_time_ms, error_code.
function parseErrorCode(buf) {
  return { correlationId: buf.readInt32BE(0), errorCode: buf.readInt16BE(8) };
}

function parseMetadataV4(buf) {
  let o = 0;
  const i32 = () => { const v = buf.readInt32BE(o); o += 4; return v; };
  const str = () => {
    const len = buf.readInt16BE(o); o += 2;
    if (len < 0) return null;
    const s = buf.toString('utf8', o, o + len); o += len; return s;
  };
  const correlationId = i32();
  i32(); // throttle_time_ms
  const brokers = [];
  for (let n = i32(); n > 0; n--) brokers.push({ nodeId: i32(), host: str(), port: i32(), rack: str() });
  const clusterId = str();
  const controllerId = i32();
  return { correlationId, brokers, clusterId, controllerId };
}

function roundTrip(request, parse, ms) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`timeout after ${ms} ms`)); }, ms);
    sock.on('connect', () => sock.write(request));
    sock.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= 4 + data.readInt32BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        try { resolve(parse(data.subarray(4, 4 + data.readInt32BE(0)))); } catch (e) { reject(e); }
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); reject(new Error('connection closed before a response')); });
  });
}

async function warmCoordinators() {
  const start = Date.now();
  const pending = new Map([
    ['group', () => findCoordinatorRequest('saferoads-kafka-probe', 0)],
    ['transaction', () => findCoordinatorRequest('saferoads-kafka-probe', 1)],
    ['producerId', () => initProducerIdRequest()],
  ]);
  const last = {};
  while (pending.size > 0 && Date.now() - start < timeoutMs) {
    for (const [name, request] of pending) {
      try {
        const r = await roundTrip(request(), parseErrorCode, 2000);
        last[name] = r.errorCode;
        if (r.errorCode === 0) pending.delete(name);
      } catch (e) {
        last[name] = String(e && e.message ? e.message : e);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 200));
  }
  const ok = pending.size === 0;
  console.log(JSON.stringify({ warm: ok, ms: Date.now() - start, lastErrorCodes: last }));
  process.exit(ok ? 0 : 1);
}

if (warm) await warmCoordinators();

try {
  const md = await roundTrip(metadataRequest(), parseMetadataV4, timeoutMs);
  const self = md.brokers.find((b) => b.port === port);
  const ready = md.correlationId === 1 && Boolean(self) && md.controllerId >= 0;
  console.log(JSON.stringify({ ready, ...md }));
  process.exit(ready ? 0 : 1);
} catch (e) {
  console.log(JSON.stringify({ ready: false, error: String(e && e.message ? e.message : e) }));
  process.exit(1);
}
