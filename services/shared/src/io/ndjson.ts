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
