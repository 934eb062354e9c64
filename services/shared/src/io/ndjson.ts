import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';

/**
 * Calls onLine for every line of a byte stream (without the newline; a trailing '\r' is kept
 * for the parser to reject or accept). Splits on chunk boundaries itself because readline's
 * per-line events cost more than JSON.parse does here.
 */
export async function forEachLine(
  input: Readable,
  onLine: (line: string, lineNo: number) => void,
  /** Awaited after each input chunk: where buffered output drains, so memory stays bounded. */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    let from = 0;
    let nl = text.indexOf('\n', from);
    while (nl !== -1) {
      lineNo++;
      onLine(text.slice(from, nl), lineNo);
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    rest = text.slice(from);
    if (afterChunk) await afterChunk();
  }
  rest += decoder.end();
  if (rest.length > 0) {
    lineNo++;
    onLine(rest, lineNo);
  }
  return lineNo;
}

/** Buffers lines into large writes and honours the destination's backpressure. */
export class NdjsonWriter {
  private buf: string[] = [];
  private size = 0;

  constructor(
    private readonly out: Writable,
    private readonly flushAtChars = 1 << 16,
  ) {}

  /** Queues one value; returns true when the buffer should be drained with `drain()`. */
  write(value: unknown): boolean {
    return this.writeLine(JSON.stringify(value));
  }

  /** Queues one line of JSON already written (by a faster, type-specific encoder). */
  writeLine(line: string): boolean {
    this.buf.push(line);
    this.size += line.length + 1;
    return this.size >= this.flushAtChars;
  }

  /** Writes what is buffered and waits if the destination asks for it. */
  async drain(): Promise<void> {
    if (this.size === 0) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    await this.drain();
  }
}

/**
 * forEachLine on bytes: calls onLine(bytes, start, end, lineNo) for every line of a byte stream,
 * the line being bytes[start, end) without its newline (a trailing '\r' is kept), valid only
 * during the call. For readers that parse bytes themselves: splitting on the newline byte (which
 * never occurs inside a multi-byte UTF-8 sequence) gives the same lines, and decoding each as
 * UTF-8 the same text, as forEachLine, without decoding every byte into a string first.
 */
export async function forEachLineBytes(
  input: Readable,
  onLine: (bytes: Buffer, start: number, end: number, lineNo: number) => void,
  /** Awaited after each input chunk: where buffered output drains, so memory stays bounded. */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  // A line that spans chunks: its parts so far.
  let parts: Buffer[] = [];
  let lineNo = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    let from = 0;
    let nl = bytes.indexOf(NEWLINE);
    if (nl !== -1 && parts.length > 0) {
      parts.push(bytes.subarray(0, nl));
      const line = Buffer.concat(parts);
      parts = [];
      lineNo++;
      onLine(line, 0, line.length, lineNo);
      from = nl + 1;
      nl = bytes.indexOf(NEWLINE, from);
    }
    while (nl !== -1) {
      lineNo++;
      onLine(bytes, from, nl, lineNo);
      from = nl + 1;
      nl = bytes.indexOf(NEWLINE, from);
    }
    if (from < bytes.length) parts.push(bytes.subarray(from));
    if (afterChunk) await afterChunk();
  }
  if (parts.length > 0) {
    const line = Buffer.concat(parts);
    lineNo++;
    onLine(line, 0, line.length, lineNo);
  }
  return lineNo;
}

const NEWLINE = 0x0a;

/**
 * Output written straight into bytes by a type-specific encoder: `buf` from `pos` on is room to
 * encode into (ask for it with `room`), handed to the destination in chunks of about chunkBytes,
 * honouring its backpressure.
 */
export class ByteChunkWriter {
  buf: Buffer;
  pos = 0;
  private blocked = false;

  constructor(
    private readonly out: Writable,
    private readonly chunkBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /**
   * Makes room for n more bytes at pos, handing what is written on when the chunk is full.
   * Returns true when the destination asked to wait: call drain() before writing much more.
   */
  room(n: number): boolean {
    if (this.pos + n > this.buf.length) {
      this.flush();
      // The destination keeps the chunk it was handed, so each chunk is a fresh buffer.
      this.buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, n));
    }
    return this.blocked;
  }

  /** Hands on what is written and waits if the destination asks for it. */
  async drain(): Promise<void> {
    this.flush();
    if (this.blocked) {
      await once(this.out, 'drain');
      this.blocked = false;
    }
  }

  async end(): Promise<void> {
    await this.drain();
  }

  private flush(): void {
    if (this.pos === 0) return;
    if (!this.out.write(this.buf.subarray(0, this.pos))) this.blocked = true;
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }
}
