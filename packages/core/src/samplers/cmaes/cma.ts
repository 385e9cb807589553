/**
 * The CMA-ES update (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016; equation numbers
 * are the tutorial's) on the unit cube, with active (negative) recombination weights, and its
 * separable variant (Ros & Hansen 2008: a diagonal covariance with learning rates scaled up by
 * (n + 2) / 3). The state is plain data, changed only by `tellGeneration`, so replaying the same
 * generations from the trials gives the same state on any coordinator.
 */
import { symmetricEigen } from "../../numerics/symmetric-eigen.js";
import type { Rng } from "../../rng.js";

/** Guards against zero eigenvalues and divisions by zero, as the `cmaes` library does. */
const EPS = 1e-8;
const SIGMA_MAX = 1e32;

/** The fixed constants of a run: they depend only on the dimension and the population size. */
export interface CmaConstants {
  readonly n: number;
  readonly popsize: number;
  readonly mu: number;
  readonly muEff: number;
  /** popsize weights, sorted best first; negative after mu (active CMA) unless separable. */
  readonly weights: readonly number[];
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  /** E||N(0, I)||. */
  readonly chiN: number;
  readonly separable: boolean;
  /** Generations of best/worst values kept for the flat-fitness stop (tolfun). */
  readonly funHistTerm: number;
}

/** What a run of CMA-ES knows between generations. */
export interface CmaState {
  readonly constants: CmaConstants;
  mean: number[];
  sigma: number;
  /** The covariance (full), or its diagonal as a 1 x n row when separable. */
  cov: number[][];
  pSigma: number[];
  pc: number[];
  /** Generations told so far. */
  generation: number;
  /** Best and worst value of the recent generations (ring of 2 * funHistTerm). */
  funHist: number[];
  /** tolx: 1e-12 of the initial sigma. */
  readonly tolX: number;
  /** Cached eigen decomposition of cov: B (columns) and D (square roots of the eigenvalues). */
  eigen: { b: number[][]; d: number[] } | null;
}

export function cmaConstants(n: number, popsize: number, separable: boolean): CmaConstants {
  const mu = Math.floor(popsize / 2);
  const prime = Array.from({ length: popsize }, (_, i) => Math.log((popsize + 1) / 2) - Math.log(i + 1));
  const pos = prime.slice(0, mu);
  const neg = prime.slice(mu);
  const sq = (xs: number[]): number => xs.reduce((s, x) => s + x * x, 0);
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
  const muEff = sum(pos) ** 2 / sq(pos);
  const muEffMinus = neg.length > 0 && sq(neg) > 0 ? sum(neg) ** 2 / sq(neg) : 0;
  const alphaCov = 2;
  let c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  let cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
  let weights: number[];
  if (separable) {
    // Sep-CMA: positive weights only, and faster covariance learning since it has only n entries.
    const total = sum(pos);
    weights = prime.map((w, i) => (i < mu ? w / total : 0));
    c1 = Math.min(1, (c1 * (n + 2)) / 3);
    cmu = Math.min(1 - c1, (cmu * (n + 2)) / 3);
  } else {
    const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu)); // eq. 50-52
    const positive = sum(prime.filter((w) => w > 0));
    const negative = sum(prime.filter((w) => w < 0).map(Math.abs));
    weights = prime.map((w) => (w >= 0 ? w / positive : (minAlpha / negative) * w)); // eq. 53
  }
  const cSigma = (muEff + 2) / (n + muEff + 5); // eq. 55
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n); // eq. 56
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { n, popsize, mu, muEff, weights, cc, c1, cmu, cSigma, dSigma, chiN, separable, funHistTerm: 10 + Math.ceil((30 * n) / popsize) };
}

/** A fresh run at `mean` with step size `sigma` and covariance `cov` (identity unless given). */
export function createCma(mean: readonly number[], sigma: number, popsize: number, separable: boolean, cov?: readonly (readonly number[])[]): CmaState {
  const n = mean.length;
  const constants = cmaConstants(n, popsize, separable);
  const identity = (i: number, j: number): number => (i === j ? 1 : 0);
  const full = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => cov?.[i]?.[j] ?? identity(i, j)));
  return {
    constants,
    mean: [...mean],
    sigma,
    cov: separable ? [full.map((row, i) => row[i]!)] : full,
    pSigma: new Array<number>(n).fill(0),
    pc: new Array<number>(n).fill(0),
    generation: 0,
    funHist: [],
    tolX: 1e-12 * sigma,
    eigen: null,
  };
}

/** B and D with C = B D^2 B^T; negative eigenvalues (rounding) are lifted to EPS, as the library does. */
export function eigenOf(state: CmaState): { b: number[][]; d: number[] } {
  if (state.eigen) return state.eigen;
  const n = state.constants.n;
  if (state.constants.separable) {
    const diag = state.cov[0]!;
    const d = diag.map((c) => (c < 0 ? Math.sqrt(EPS) : Math.sqrt(c)));
    state.eigen = { b: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))), d };
    return state.eigen;
  }
  const { values, vectors } = symmetricEigen(state.cov);
  const d = values.map((v) => Math.sqrt(v < 0 ? EPS : v));
  // Write C back from its decomposition so it stays exactly symmetric and positive definite.
  state.cov = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => values.reduce((s, _v, k) => s + vectors[i]![k]! * d[k]! * d[k]! * vectors[j]![k]!, 0)));
  state.eigen = { b: vectors, d };
  return state.eigen;
}

/** One draw from N(mean, sigma^2 C). */
export function sampleSolution(state: CmaState, rng: Rng): number[] {
  const { b, d } = eigenOf(state);
  const n = state.constants.n;
  const z = Array.from({ length: n }, () => rng.normal());
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let y = 0;
    for (let k = 0; k < n; k++) y += b[i]![k]! * d[k]! * z[k]!;
    x[i] = state.mean[i]! + state.sigma * y;
  }
  return x;
}

/**
 * Updates the distribution from one generation: popsize (x, loss) pairs, lower loss better.
 * `x` are the raw draws the trials were sampled from.
 */
export function tellGeneration(state: CmaState, solutions: ReadonlyArray<{ x: readonly number[]; loss: number }>): void {
  const k = state.constants;
  const n = k.n;
  const sorted = [...solutions].sort((a, b) => a.loss - b.loss);
  state.generation += 1;
  const slot = 2 * (state.generation % k.funHistTerm);
  state.funHist[slot] = sorted[0]!.loss;
  state.funHist[slot + 1] = sorted[sorted.length - 1]!.loss;

  const { b, d } = eigenOf(state);
  state.eigen = null;
  const ys = sorted.map((s) => s.x.map((xi, i) => (xi - state.mean[i]!) / state.sigma));
  // Selection and recombination (eq. 41), cm = 1.
  const yw = new Array<number>(n).fill(0);
  for (let r = 0; r < k.mu; r++) for (let i = 0; i < n; i++) yw[i]! += k.weights[r]! * ys[r]![i]!;
  for (let i = 0; i < n; i++) state.mean[i]! += state.sigma * yw[i]!;

  // C^(-1/2) y = B D^-1 B^T y.
  const invSqrt = (y: readonly number[]): number[] => {
    const t = new Array<number>(n).fill(0);
    for (let q = 0; q < n; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += b[i]![q]! * y[i]!;
      t[q] = s / d[q]!;
    }
    const out = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let q = 0; q < n; q++) out[i]! += b[i]![q]! * t[q]!;
    return out;
  };

  // Step-size control (eq. 43-44).
  const cy = invSqrt(yw);
  const ps = Math.sqrt(k.cSigma * (2 - k.cSigma) * k.muEff);
  for (let i = 0; i < n; i++) state.pSigma[i] = (1 - k.cSigma) * state.pSigma[i]! + ps * cy[i]!;
  const normPs = Math.sqrt(state.pSigma.reduce((s, v) => s + v * v, 0));
  state.sigma = Math.min(state.sigma * Math.exp((k.cSigma / k.dSigma) * (normPs / k.chiN - 1)), SIGMA_MAX);

  // Covariance adaptation (eq. 45-47), with the stall indicator h_sigma.
  const hLeft = normPs / Math.sqrt(1 - (1 - k.cSigma) ** (2 * (state.generation + 1)));
  const hSigma = hLeft < (1.4 + 2 / (n + 1)) * k.chiN ? 1 : 0;
  const pcScale = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
  for (let i = 0; i < n; i++) state.pc[i] = (1 - k.cc) * state.pc[i]! + pcScale * yw[i]!;
  const wio = k.weights.map((w, r) => {
    if (w >= 0) return w;
    const t = invSqrt(ys[r]!);
    return (w * n) / (t.reduce((s, v) => s + v * v, 0) + EPS);
  });
  const deltaH = (1 - hSigma) * k.cc * (2 - k.cc);
  const weightSum = k.weights.reduce((s, w) => s + w, 0);
  const decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * weightSum;
  if (k.separable) {
    const diag = state.cov[0]!;
    for (let i = 0; i < n; i++) {
      let rankMu = 0;
      for (let r = 0; r < ys.length; r++) rankMu += wio[r]! * ys[r]![i]! * ys[r]![i]!;
      diag[i] = decay * diag[i]! + k.c1 * state.pc[i]! * state.pc[i]! + k.cmu * rankMu;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let rankMu = 0;
      for (let r = 0; r < ys.length; r++) rankMu += wio[r]! * ys[r]![i]! * ys[r]![j]!;
      const c = decay * state.cov[i]![j]! + k.c1 * state.pc[i]! * state.pc[j]! + k.cmu * rankMu;
      state.cov[i]![j] = c;
      state.cov[j]![i] = c;
    }
  }
}

/**
 * The library's termination tests, used to trigger restarts: flat fitness (tolfun), a collapsed
 * distribution (tolx), divergence (tolxup), no effect of a step along a coordinate or an axis,
 * and an ill-conditioned covariance.
 */
export function shouldStop(state: CmaState): boolean {
  const k = state.constants;
  const { b, d } = eigenOf(state);
  const diag = k.separable ? state.cov[0]! : state.cov.map((row, i) => row[i]!);
  if (state.generation > k.funHistTerm) {
    const values = state.funHist.filter((v) => v !== undefined);
    if (Math.max(...values) - Math.min(...values) < 1e-12) return true;
  }
  if (diag.every((c) => state.sigma * c < state.tolX) && state.pc.every((p) => state.sigma * p < state.tolX)) return true;
  if (state.sigma * Math.max(...d) > 1e4) return true;
  if (state.mean.some((m, i) => m === m + 0.2 * state.sigma * Math.sqrt(diag[i]!))) return true;
  const axis = state.generation % k.n;
  if (state.mean.every((m, i) => m === m + 0.1 * state.sigma * d[axis]! * b[i]![axis]!)) return true;
  return Math.max(...d) / Math.min(...d) > 1e14;
}
