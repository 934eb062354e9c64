/**
 * Collects items and hands them over once per frame: a minute's 10,000 scores arrive as 10,000
 * stream events, and drawing after each would cost 10,000 redraws. `schedule` is
 * requestAnimationFrame in the page and a manual clock in tests.
 */
export class FrameBatcher<T> {
  private items: T[] = [];
  private pending = false;

  constructor(
    private readonly schedule: (run: () => void) => void,
    private readonly flush: (items: T[]) => void,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      const items = this.items;
      this.items = [];
      if (items.length > 0) this.flush(items);
    });
  }

  get queued(): number {
    return this.items.length;
  }
}
