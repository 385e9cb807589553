/** Gives a Float64Array of n elements with unspecified contents: callers write before they read. */
export type Float64Allocator = (n: number) => Float64Array;

/** A new, zeroed array each time. */
export const freshFloat64: Float64Allocator = (n) => new Float64Array(n);

/**
 * The typed arrays of one TPE step, carved out of one slab that is reused from step to step. A
 * step fits two Parzen estimators with up to n + 1 components in each dimension; fresh arrays
 * would cost an allocation each and keep the garbage collector busy. Everything taken is dead by
 * the next reset().
 */
export class ScratchArena {
  private slab = new Float64Array(0);
  private used = 0;

  constructor() {
    // Set twice, so V8 knows from the start that the slab changes: code that took it for a
    // constant would be thrown away when it first grows.
    this.slab = new Float64Array(1 << 12);
  }

  /**
   * Starts a step: the arrays of the previous one are handed out again. Keeps room for twice what
   * the last step took (growing to four times it, so not at every step): steps grow slowly, so
   * take() seldom has to grow the slab itself (which, first done inside optimised code, would
   * throw that code away).
   */
  reset(): void {
    if (2 * this.used > this.slab.length) this.slab = new Float64Array(4 * this.used);
    this.used = 0;
  }

  /** A view of n elements. When the slab runs out a larger one replaces it; views taken stay valid. */
  readonly take: Float64Allocator = (n) => {
    if (this.used + n > this.slab.length) {
      this.slab = new Float64Array(Math.max(2 * this.slab.length, 2 * n));
      this.used = 0;
    }
    const view = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  };
}
