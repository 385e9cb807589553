/** The typed arrays TPE's bookkeeping grows as a study does. */
type Growable = Float64Array | Int32Array | Uint8Array;

/**
 * A copy of `array` at least `minimum` long, and at least twice as long as it was (so growing
 * one element at a time costs amortized O(1)); the new tail holds `fill`.
 */
export function grown<T extends Growable>(array: T, minimum: number, fill = 0): T {
  const copy = new (array.constructor as new (length: number) => T)(Math.max(2 * array.length, minimum));
  copy.set(array as ArrayLike<number> & T);
  if (fill !== 0) copy.fill(fill, array.length);
  return copy;
}
