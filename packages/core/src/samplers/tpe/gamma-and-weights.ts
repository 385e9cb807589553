/** How many of `n` observations go to the "below" (good) group. */
export type GammaFunction = (n: number) => number;

/** The weights of `n` observations, oldest first (any non-negative numbers; they are normalised). */
export type WeightsFunction = (n: number) => ArrayLike<number>;

/** Optuna's default gamma: the best 10% of the observations, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * A gamma taking the best `fraction` of the observations, rounded up, at most `cap`:
 * `linearGamma(0.1, 25)` is Optuna's default. Shoal's default is `linearGamma(0.25, 50)`.
 */
export function linearGamma(fraction: number, cap: number): GammaFunction {
  return (n) => Math.min(Math.ceil(fraction * n), cap);
}

/** Hyperopt's gamma, which Optuna offers as an alternative: ceil(0.25 sqrt(n)), at most 25. */
export function hyperoptDefaultGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/**
 * Optuna's default weights: the 25 newest observations weigh 1; older ones ramp linearly from
 * 1/n up to 1, so the estimator slowly forgets the start of a long study.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = defaultWeightAt(i, n);
  return w;
}

/** defaultWeights(n)[i], without making the array. */
export function defaultWeightAt(i: number, n: number): number {
  const ramp = n - 25;
  if (i >= ramp) return 1;
  // np.linspace(1/n, 1, ramp)
  const start = 1 / n;
  return ramp === 1 ? start : start + (i * (1 - start)) / (ramp - 1);
}
