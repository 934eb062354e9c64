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
/** A key's text (`"name":`), as little-endian 32-bit words and then single bytes: compared four bytes at a time. */
interface Key {
  readonly length: number;
  readonly words: readonly number[];
  readonly bytes: readonly number[];
}
const key = (text: string): Key => {
  const bytes = Array.from(text, (ch) => ch.charCodeAt(0));
  const words: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) words.push((bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0);
  return { length: bytes.length, words, bytes };
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
  /** Set by readNumber: how many fraction digits the number had. */
  private fraction = 0;
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
    }
    this.pos = start + 1;
    if (!this.key(K_DETECTOR_ID, end)) return null;
    const detectorId = this.readId(end);
    if (detectorId === null) return null;
    if (!this.key(K_LANE, end)) return null;
    const lane = this.readInteger(end);
    if (!(lane >= 1 && lane <= 16)) return null;
    if (!this.key(K_TS, end)) return null;
    const ts = this.readInteger(end);
    if (!(ts >= MIN_EVENT_TS && ts <= MAX_EVENT_TS)) return null;
    if (!this.key(K_SPEED, end)) return null;
    const speedKmh = this.readNumber(end);
    if (!(speedKmh > 0 && speedKmh <= 300)) return null;
    if (!this.key(K_LENGTH, end)) return null;
    const lengthM = this.readNumber(end);
    if (!(lengthM > 0 && lengthM <= 40)) return null;
    let occupancyMs = -1;
    let gapS = -1;
    let seq = -1;
    if (this.key(K_OCCUPANCY, end)) {
      occupancyMs = this.readNumber(end);
      if (!(occupancyMs >= 0 && occupancyMs <= 600_000)) return null;
    }
    if (this.key(K_GAP, end)) {
      gapS = this.readNumber(end);
      if (!(gapS >= 0 && gapS <= 86_400)) return null;
    }
    if (this.key(K_SEQ, end)) {
      seq = this.readInteger(end);
      if (!(seq >= 0)) return null;
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
    if (p + k.length > end) return false;
    const { words, bytes } = k;
    for (let i = 0; i < words.length; i++) if (this.view.getUint32(p + 4 * i, true) !== words[i]) return false;
    for (let i = 4 * words.length; i < bytes.length; i++) if (this.bytes[p + i] !== bytes[i]) return false;
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

  /** A number without fraction (see readNumber); NaN when it has one or is not ours. */
  private readInteger(end: number): number {
    const x = this.readNumber(end);
    return this.fraction === 0 ? x : Number.NaN;
  }

  /**
   * An unsigned JSON number of at most 15 digits without exponent at pos, ending before a comma
   * or the closing brace; NaN, not moving, when the text there is anything else.
   */
  private readNumber(end: number): number {
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
      return Number.NaN;
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
      if (fraction === 0) return Number.NaN;
    }
    c = b[i];
    if (digits > 15 || i >= end || (c !== COMMA && c !== BRACE_CLOSE)) return Number.NaN;
    this.pos = i;
    this.fraction = fraction;
    return fraction === 0 ? m : m / POW10[fraction];
  }
}

/** Decodes one line of text with a decoder shared by the process (its interned ids are bounded). */
export function decodeDetectionText(text: string): Validation<Detection> {
  return shared.decodeText(text);
}

const shared = new DetectionDecoder();
