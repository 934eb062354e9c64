import { decodeJson } from './decode.js';
import { MAX_EVENT_TS, MIN_EVENT_TS, detectionValidator, type Detection } from './detection.js';
import type { Validation } from './validate.js';

const EMPTY = new Uint8Array(0);
/** bytes[start, end) as text, decoded as Buffer#toString and Node's StringDecoder decode (a BOM is kept). */
const text = (bytes: Uint8Array, start: number, end: number, encoding: 'utf8' | 'latin1'): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString(encoding);
const LATIN1 = {
  encode(text: string): Uint8Array {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  },
};
const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/**
 * A key's text (`"name":`, 6 to 15 bytes) as up to four little-endian 32-bit words, the last one
 * masked to the key's own bytes: compared four bytes at a time.
 */
interface Key {
  readonly length: number;
  /** Bytes the comparison reads: the words, whole. */
  readonly span: number;
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly m1: number;
  readonly m2: number;
  readonly m3: number;
}
const key = (text: string): Key => {
  const bytes = Array.from(text, (ch) => ch.charCodeAt(0));
  const words = [0, 0, 0, 0];
  const masks = [0, 0, 0, 0];
  bytes.forEach((c, i) => {
    words[i >> 2] = (words[i >> 2] | (c << (8 * (i & 3)))) >>> 0;
    masks[i >> 2] = (masks[i >> 2] | (0xff << (8 * (i & 3)))) >>> 0;
  });
  if (bytes.length < 5 || bytes.length > 16 || masks[0] !== 0xffffffff) throw new Error(`key ${text}: 5 to 16 bytes`);
  return { length: bytes.length, span: 4 * Math.ceil(bytes.length / 4), w0: words[0], w1: words[1], w2: words[2], w3: words[3], m1: masks[1], m2: masks[2], m3: masks[3] };
};
const K_DETECTOR_ID = key('"detectorId":');
const K_LANE = key(',"lane":');
const K_TS = key(',"ts":');
const K_SPEED = key(',"speedKmh":');
const K_LENGTH = key(',"lengthM":');
const K_OCCUPANCY = key(',"occupancyMs":');
const K_GAP = key(',"gapS":');
const K_SEQ = key(',"seq":');
/** The shortest line the fast path can read: every required key, one-character values. */
const MIN_LINE = 2 + K_DETECTOR_ID.length + 3 + K_LANE.length + K_TS.length + K_SPEED.length + K_LENGTH.length + 4;
/** Exact powers of ten (written out: ** is not guaranteed exact). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MAX_INTERNED = 1 << 18;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Decodes detection lines (NDJSON) with exactly the result `decodeJson(line, detectionValidator)`
 * gives (the same object, key order and numbers; the same errors), in a fraction of the time for
 * the lines a loop controller or the simulator writes. JSON.parse builds a general object from a
 * general text and ajv then checks it; most lines are one shape, which a single pass over the
 * bytes can read and check at once:
 *
 *   {"detectorId":"<printable ASCII, no escapes>","lane":L,"ts":T,"speedKmh":S,"lengthM":M[,"occupancyMs":O][,"gapS":G][,"seq":Q]}
 *
 * in that key order, without white space (but for some after the closing brace), with numbers
 * of at most 15 digits, no sign and no exponent, each inside its contract range. Anything else
 * (other keys or order, escapes, non-ASCII, -0, 1e3, out-of-range values, broken JSON) goes the
 * general way, JSON.parse and the schema, so the answer and its errors are the reference ones.
 *
 * A number of at most 15 digits is an integer m below 2^53 over 10^k with k <= 15: both are exact
 * doubles, so m / 10^k is the correctly rounded value of the decimal, which is what JSON.parse
 * returns. Detector ids are interned: a line's id is matched against the ids seen before, so
 * each distinct id is one string (which also makes the stage's lookup by id cheaper).
 */
export class DetectionDecoder {
  private bytes: Uint8Array = EMPTY;
  /** The same bytes, for reading four at a time. */
  private view: DataView = new DataView(EMPTY.buffer);
  private pos = 0;
  /** Set by number(): the number read, and how many fraction digits it had. */
  private value = 0.5;
  private fraction = 0;
  /** The buffer's length (a DataView's byteLength is a getter with checks). */
  private limit = 0;
  /** Interned ids: an open-addressing table of indexes + 1 into `ids`, keyed by a hash of the bytes. */
  private readonly ids: string[] = [];
  private idSlots = new Int32Array(1024);
  /** Set by readId: the hash of the id just read. */
  private idHash = 0;

  /** Decodes the line in bytes[start, end) (UTF-8, without its newline). */
  decode(bytes: Uint8Array, start: number, end: number): Validation<Detection> {
    const d = this.fast(bytes, start, end);
    if (d !== null) return { ok: true, value: d };
    return decodeJson(text(bytes, start, end, 'utf8'), detectionValidator);
  }

  /** Decodes one line of text. */
  decodeText(line: string): Validation<Detection> {
    const d = isAscii(line) ? this.fast(LATIN1.encode(line), 0, line.length) : null;
    if (d !== null) return { ok: true, value: d };
    return decodeJson(line, detectionValidator);
  }

  /** The detection in the line when it has the one shape read here and is valid, else null. */
  private fast(b: Uint8Array, start: number, end: number): Detection | null {
    // Trailing white space is JSON white space here; anything else after the brace is not ours.
    while (end > start && isSpace(b[end - 1])) end--;
    if (end - start < MIN_LINE || b[start] !== BRACE_OPEN || b[end - 1] !== BRACE_CLOSE) return null;
    if (b !== this.bytes) {
      // Once per input chunk, not per line.
      this.bytes = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.limit = b.byteLength;
    }
    this.pos = start + 1;
    if (!this.key(K_DETECTOR_ID, end)) return null;
    const detectorId = this.readId(end);
    if (detectorId === null) return null;
    // Each number goes through this.value: a double returned from a call V8 does not inline is
    // boxed, an allocation each.
    if (!this.key(K_LANE, end) || !this.number(end) || this.fraction !== 0) return null;
    const lane = this.value;
    if (!(lane >= 1 && lane <= 16)) return null;
    if (!this.key(K_TS, end) || !this.number(end) || this.fraction !== 0) return null;
    const ts = this.value;
    if (!(ts >= MIN_EVENT_TS && ts <= MAX_EVENT_TS)) return null;
    if (!this.key(K_SPEED, end) || !this.number(end)) return null;
    const speedKmh = this.value;
    if (!(speedKmh > 0 && speedKmh <= 300)) return null;
    if (!this.key(K_LENGTH, end) || !this.number(end)) return null;
    const lengthM = this.value;
    if (!(lengthM > 0 && lengthM <= 40)) return null;
    let occupancyMs = -1;
    let gapS = -1;
    let seq = -1;
    if (this.key(K_OCCUPANCY, end)) {
      if (!this.number(end)) return null;
      occupancyMs = this.value;
      if (!(occupancyMs >= 0 && occupancyMs <= 600_000)) return null;
    }
    if (this.key(K_GAP, end)) {
      if (!this.number(end)) return null;
      gapS = this.value;
      if (!(gapS >= 0 && gapS <= 86_400)) return null;
    }
    if (this.key(K_SEQ, end)) {
      if (!this.number(end) || this.fraction !== 0) return null;
      seq = this.value;
    }
    // The closing brace, and nothing before it unread.
    if (this.pos !== end - 1) return null;
    // One literal per combination of optional fields: the keys in the text's order, like JSON.parse.
    if (occupancyMs >= 0) {
      if (seq >= 0) {
        return gapS >= 0
          ? { detectorId, lane, ts, speedKmh, lengthM, occupancyMs, gapS, seq }
          : { detectorId, lane, ts, speedKmh, lengthM, occupancyMs, seq };
      }
      return gapS >= 0 ? { detectorId, lane, ts, speedKmh, lengthM, occupancyMs, gapS } : { detectorId, lane, ts, speedKmh, lengthM, occupancyMs };
    }
    if (seq >= 0) {
      return gapS >= 0 ? { detectorId, lane, ts, speedKmh, lengthM, gapS, seq } : { detectorId, lane, ts, speedKmh, lengthM, seq };
    }
    return gapS >= 0 ? { detectorId, lane, ts, speedKmh, lengthM, gapS } : { detectorId, lane, ts, speedKmh, lengthM };
  }

  /**
   * Reads `key` (the bytes of `"name":`, or `,"name":` after the first) at pos and moves past it;
   * false, not moving, when the text there is anything else.
   */
  private key(k: Key, end: number): boolean {
    const p = this.pos;
    const v = this.view;
    if (p + k.length > end) return false;
    // Whole words may reach past the line (never past the buffer): the masks leave those bytes out.
    if (p + k.span > this.limit) return this.keyBytes(k, p);
    if (v.getUint32(p, true) !== k.w0 || (v.getUint32(p + 4, true) & k.m1) >>> 0 !== k.w1) return false;
    if (k.span > 8 && ((v.getUint32(p + 8, true) & k.m2) >>> 0 !== k.w2 || (k.span > 12 && (v.getUint32(p + 12, true) & k.m3) >>> 0 !== k.w3))) return false;
    this.pos = p + k.length;
    return true;
  }

  /** key() byte by byte, at the very end of the buffer. */
  private keyBytes(k: Key, p: number): boolean {
    const words = [k.w0, k.w1, k.w2, k.w3];
    for (let i = 0; i < k.length; i++) if (this.bytes[p + i] !== ((words[i >> 2] >>> (8 * (i & 3))) & 0xff)) return false;
    this.pos = p + k.length;
    return true;
  }

  /** A quoted id of 1..64 printable ASCII characters without escapes, interned; else null. */
  private readId(end: number): string | null {
    const b = this.bytes;
    if (b[this.pos] !== QUOTE) return null;
    const from = this.pos + 1;
    let h = FNV_OFFSET;
    let i = from;
    for (; i < end; i++) {
      const c = b[i];
      if (c === QUOTE) break;
      // Control characters are invalid JSON, backslash starts an escape, >= 0x7f is not ASCII
      // (or DEL): all for the general path, which also counts non-ASCII lengths as ajv does.
      if (c < 0x20 || c === BACKSLASH || c >= 0x7f) return null;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const length = i - from;
    if (i >= end || length < 1 || length > 64) return null;
    this.pos = i + 1;
    this.idHash = h;
    return this.intern(b, from, length);
  }

  private intern(b: Uint8Array, from: number, length: number): string {
    const slots = this.idSlots;
    const mask = slots.length - 1;
    let slot = (this.idHash ^ (this.idHash >>> 16)) & mask;
    for (;;) {
      const e = slots[slot];
      if (e === 0) break;
      const id = this.ids[e - 1];
      if (id.length === length) {
        let same = true;
        for (let k = 0; k < length; k++) {
          if (id.charCodeAt(k) !== b[from + k]) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = text(b, from, from + length, 'latin1');
    // Bounded: past MAX_INTERNED ids (far more detectors than any network has) they are not kept.
    if (this.ids.length < MAX_INTERNED) {
      this.ids.push(id);
      slots[slot] = this.ids.length;
      if (2 * this.ids.length > slots.length) this.rehash();
    }
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.idSlots.length * 4);
    const mask = slots.length - 1;
    this.ids.forEach((id, i) => {
      let h = FNV_OFFSET;
      for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), FNV_PRIME);
      let slot = (h ^ (h >>> 16)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    });
    this.idSlots = slots;
  }

  /**
   * Reads an unsigned JSON number of at most 15 digits without exponent at pos, ending before a
   * comma or the closing brace, into value (and its count of fraction digits into fraction);
   * false, not moving, when the text there is anything else.
   */
  private number(end: number): boolean {
    const b = this.bytes;
    let i = this.pos;
    let m = 0;
    let digits = 0;
    let fraction = 0;
    let c = b[i];
    if (c === ZERO) {
      i++;
    } else if (c > ZERO && c <= NINE) {
      while (i < end && (c = b[i]) >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        digits++;
        i++;
      }
    } else {
      return false;
    }
    if (i < end && b[i] === DOT) {
      i++;
      const first = i;
      while (i < end && (c = b[i]) >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        digits++;
        i++;
      }
      fraction = i - first;
      if (fraction === 0) return false;
    }
    c = b[i];
    if (digits > 15 || i >= end || (c !== COMMA && c !== BRACE_CLOSE)) return false;
    this.pos = i;
    this.fraction = fraction;
    this.value = fraction === 0 ? m : m / POW10[fraction];
    return true;
  }
}

/** Decodes one line of text with a decoder shared by the process (its interned ids are bounded). */
export function decodeDetectionText(text: string): Validation<Detection> {
  return shared.decodeText(text);
}

const shared = new DetectionDecoder();
