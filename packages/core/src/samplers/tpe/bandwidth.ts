/** How the kernel widths (sigmas) of a numeric dimension are chosen. */
export interface BandwidthOptions {
  /** Multivariate TPE uses one Scott-like width for all; univariate the neighbour gaps. */
  readonly multivariate: boolean;
  /** Number of dimensions sampled jointly (multivariate only). */
  readonly nDims: number;
  /** Whether the first and last observations may take the gap to the range's end as their width. */
  readonly considerEndpoints: boolean;
  /** Clip widths from below at range / min(100, n + 2) instead of 1e-12. */
  readonly considerMagicClip: boolean;
}

const MIN_SIGMA = 1e-12;
const MULTIVARIATE_SIGMA0 = 0.2;

/**
 * The sigma of each observation's kernel, in transformed units (Optuna 4.9's rule).
 *
 * Univariate: sort the observations between the fence posts `low` and `high`; each sigma is the
 * larger gap to a neighbour, except that without `considerEndpoints` the outermost observations
 * use only their inner gap. Multivariate: 0.2 n^(-1/(d+4)) (high - low) for every kernel.
 * Then clipped to [magic clip or 1e-12, high - low].
 */
export function kernelBandwidths(
  mus: Float64Array,
  low: number,
  high: number,
  options: BandwidthOptions,
  sigmas: Float64Array = new Float64Array(mus.length),
): Float64Array {
  const n = mus.length;
  const range = high - low;
  const minSigma = options.considerMagicClip ? range / Math.min(100, n + 2) : MIN_SIGMA;
  if (options.multivariate) {
    sigmas.fill(clip(MULTIVARIATE_SIGMA0 * Math.max(n, 1) ** (-1 / (options.nDims + 4)) * range, minSigma, range), 0, n);
    return sigmas;
  }
  // Gathered univariate observations come sorted: one fused pass then does it all.
  if (ascendingNeighbourGaps(mus, low, high, options.considerEndpoints, minSigma, range, sigmas)) return sigmas;
  const sorted = mus.slice();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  sortWithIndex(sorted, order, 0, n - 1);
  sortedNeighbourGaps(sorted, order, low, high, options.considerEndpoints, sigmas);
  for (let i = 0; i < n; i++) sigmas[i] = clip(sigmas[i] as number, minSigma, range);
  return sigmas;
}

function clip(sigma: number, minSigma: number, range: number): number {
  return Math.min(Math.max(sigma, minSigma), range);
}

/**
 * sortedNeighbourGaps and the clip in one pass, when `mus` is ascending. Returns false as soon as
 * it finds it is not (`out` is then partly written, and the caller starts over).
 */
function ascendingNeighbourGaps(
  mus: Float64Array,
  low: number,
  high: number,
  considerEndpoints: boolean,
  minSigma: number,
  range: number,
  out: Float64Array,
): boolean {
  const n = mus.length;
  if (n === 0) return true;
  const innerOnly = !considerEndpoints && n >= 2;
  // The ends, whose outer neighbours are the fences, outside the loop: inside, a value that is
  // either a fence (an argument) or an array element would be boxed at every step.
  const first = mus[0] as number;
  const second = n === 1 ? high : (mus[1] as number);
  if (n > 1 && second < first) return false;
  out[0] = clip(innerOnly ? second - first : Math.max(first - low, second - first), minSigma, range);
  for (let p = 1; p < n - 1; p++) {
    const v = mus[p] as number;
    const left = mus[p - 1] as number;
    const right = mus[p + 1] as number;
    if (right < v) return false;
    out[p] = clip(Math.max(v - left, right - v), minSigma, range);
  }
  if (n > 1) {
    const last = mus[n - 1] as number;
    const before = mus[n - 2] as number;
    out[n - 1] = clip(innerOnly ? last - before : Math.max(last - before, high - last), minSigma, range);
  }
  return true;
}

/**
 * Writes each observation's larger neighbour gap: `sorted` ascending, `order[p]` the observation
 * at sorted position p (null: already in order). Copies of one value sit in observation order,
 * as a stable argsort would put them.
 */
function sortedNeighbourGaps(
  sorted: Float64Array,
  order: Int32Array | null,
  low: number,
  high: number,
  considerEndpoints: boolean,
  out: Float64Array,
): void {
  const n = sorted.length;
  for (let p = 0; p < n; p++) {
    const v = sorted[p] as number;
    const left = p === 0 ? low : (sorted[p - 1] as number);
    const right = p === n - 1 ? high : (sorted[p + 1] as number);
    let sigma = Math.max(v - left, right - v);
    if (!considerEndpoints && n >= 2) {
      if (p === 0) sigma = right - v;
      else if (p === n - 1) sigma = v - left;
    }
    out[order === null ? p : (order[p] as number)] = sigma;
  }
}

/**
 * Sorts keys[lo..hi] ascending, carrying `index` along, ties by index. A quicksort written out
 * for typed arrays: several times faster than TypedArray#sort with a comparator, which is what
 * sorting an index by value would otherwise need.
 */
function sortWithIndex(keys: Float64Array, index: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    // Median of three to the middle, as the pivot.
    if (less(keys, index, mid, lo)) swap(keys, index, mid, lo);
    if (less(keys, index, hi, lo)) swap(keys, index, hi, lo);
    if (less(keys, index, hi, mid)) swap(keys, index, hi, mid);
    const pk = keys[mid] as number;
    const pi = index[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((keys[i] as number) < pk || ((keys[i] as number) === pk && (index[i] as number) < pi)) i++;
      while ((keys[j] as number) > pk || ((keys[j] as number) === pk && (index[j] as number) > pi)) j--;
      if (i <= j) swap(keys, index, i++, j--);
    }
    // Recurse into the smaller side, loop on the larger: the stack stays O(log n).
    if (j - lo < hi - i) {
      sortWithIndex(keys, index, lo, j);
      lo = i;
    } else {
      sortWithIndex(keys, index, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const k = keys[i] as number;
    const x = index[i] as number;
    let j = i - 1;
    while (j >= lo && ((keys[j] as number) > k || ((keys[j] as number) === k && (index[j] as number) > x))) {
      keys[j + 1] = keys[j] as number;
      index[j + 1] = index[j] as number;
      j--;
    }
    keys[j + 1] = k;
    index[j + 1] = x;
  }
}

function less(keys: Float64Array, index: Int32Array, a: number, b: number): boolean {
  const ka = keys[a] as number;
  const kb = keys[b] as number;
  return ka < kb || (ka === kb && (index[a] as number) < (index[b] as number));
}

function swap(keys: Float64Array, index: Int32Array, a: number, b: number): void {
  const k = keys[a] as number;
  keys[a] = keys[b] as number;
  keys[b] = k;
  const x = index[a] as number;
  index[a] = index[b] as number;
  index[b] = x;
}
