import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './batcher.js';

describe('frame batcher', () => {
  it('hands everything pushed before a frame over in one flush, in order', () => {
    const frames: (() => void)[] = [];
    const flushed: number[][] = [];
    const b = new FrameBatcher<number>((run) => frames.push(run), (items) => flushed.push(items));
    for (let i = 0; i < 10_000; i++) b.push(i);
    expect(frames).toHaveLength(1);
    expect(b.queued).toBe(10_000);
    frames.shift()!();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toHaveLength(10_000);
    expect(flushed[0][9_999]).toBe(9_999);
    b.push(1);
    b.push(2);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(flushed[1]).toEqual([1, 2]);
    expect(b.queued).toBe(0);
  });
});
