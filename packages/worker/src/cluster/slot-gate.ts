/**
 * The worker's trial slots: a job taken ahead of a free slot (prefetched) waits here for one, so
 * its trial starts, and its clock starts, only when a thread is free for it. First come, first
 * served; close() turns every waiting and later acquire into a rejection.
 */
export class SlotGate {
  private held = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closedWith: Error | null = null;

  constructor(readonly slots: number) {}

  /** Slots held now. */
  get busy(): number {
    return this.held;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves once a slot is this caller's; pair with exactly one release(). */
  acquire(): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.held < this.slots) {
      this.held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  // A freed slot passes straight to the next waiter, so no caller can slip in between.
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next.resolve();
      return;
    }
    this.held -= 1;
  }

  /** Rejects every waiter, and every later acquire, with `reason`. Held slots stay held. */
  close(reason: Error): void {
    this.closedWith = reason;
    for (const waiter of this.waiting.splice(0)) waiter.reject(reason);
  }
}
