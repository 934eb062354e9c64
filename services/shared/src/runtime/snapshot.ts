import { SaferoadsError } from '../errors.js';

/**
 * A growable little-endian byte buffer that state snapshots are written to. Doubles are written
 * bit for bit (NaN and infinities included), so a restored state equals the saved one exactly.
 */
export class SnapshotWriter {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;

  constructor(initialBytes = 4096) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.n;
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.n, x, true);
    this.n += 8;
  }

  /** Doubles straight from a typed array (bit patterns kept). */
  f64s(src: Float64Array, from: number, count: number): void {
    this.room(8 * count);
    for (let i = 0; i < count; i++) this.view.setFloat64(this.n + 8 * i, src[from + i], true);
    this.n += 8 * count;
  }

  i32(x: number): void {
    this.room(4);
    this.view.setInt32(this.n, x, true);
    this.n += 4;
  }

  u32(x: number): void {
    this.room(4);
    this.view.setUint32(this.n, x, true);
    this.n += 4;
  }

  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u32(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  private room(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Reads what a SnapshotWriter wrote, in the same order; reading past the end is a corrupt snapshot. */
export class SnapshotReader {
  private readonly view: DataView;
  private n = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.n;
  }

  f64(): number {
    this.need(8);
    const x = this.view.getFloat64(this.n, true);
    this.n += 8;
    return x;
  }

  f64s(dst: Float64Array, from: number, count: number): void {
    this.need(8 * count);
    for (let i = 0; i < count; i++) dst[from + i] = this.view.getFloat64(this.n + 8 * i, true);
    this.n += 8 * count;
  }

  i32(): number {
    this.need(4);
    const x = this.view.getInt32(this.n, true);
    this.n += 4;
    return x;
  }

  u32(): number {
    this.need(4);
    const x = this.view.getUint32(this.n, true);
    this.n += 4;
    return x;
  }

  string(): string {
    const len = this.u32();
    this.need(len);
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.n, len).toString('utf8');
    this.n += len;
    return s;
  }

  /** Fails unless everything was read: a snapshot of another layout would leave bytes over. */
  end(): void {
    if (this.remaining !== 0) throw new SaferoadsError('STATE_CORRUPT', `snapshot has ${this.remaining} bytes more than its layout reads`);
  }

  private need(bytes: number): void {
    if (this.n + bytes > this.buf.length) throw new SaferoadsError('STATE_CORRUPT', `snapshot ends after ${this.buf.length} bytes; its layout reads more`);
  }
}
