import { grown } from "./grown.js";

const NO_KEYS = new Float64Array(0);
const NO_NUMBERS = new Int32Array(0);

/**
 * Trial numbers in ascending order of a key (ties: the lower number first), in typed arrays that
 * grow by doubling: adding a trial is a binary search and a shift, never a sort. Read `keys`,
 * `numbers` and `size` directly in hot loops.
 */
export class SortedByKey {
  keys = NO_KEYS;
  numbers = NO_NUMBERS;
  size = 0;

  constructor() {
    // The arrays are replaced as the study grows. Set twice from the start, so V8 knows they
    // change: code that took them for constants would be thrown away at the first growth.
    this.keys = new Float64Array(64);
    this.numbers = new Int32Array(64);
  }

  /** Inserts trial `number` after every smaller key and every equal one of a lower number. */
  insert(key: number, number: number): void {
    if (this.size === this.keys.length) {
      this.keys = grown(this.keys, this.size + 1);
      this.numbers = grown(this.numbers, this.size + 1);
    }
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] as number;
      if (k < key || (k === key && (this.numbers[mid] as number) < number)) lo = mid + 1;
      else hi = mid;
    }
    this.keys.copyWithin(lo + 1, lo, this.size);
    this.numbers.copyWithin(lo + 1, lo, this.size);
    this.keys[lo] = key;
    this.numbers[lo] = number;
    this.size++;
  }
}
