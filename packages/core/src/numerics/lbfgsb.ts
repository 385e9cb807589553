/**
 * Bound-constrained quasi-Newton minimisation: a projected L-BFGS in the spirit of L-BFGS-B
 * (Byrd, Lu, Nocedal, Zhu 1995). Each iteration fixes the variables that sit on a bound with the
 * gradient pushing outwards, takes the L-BFGS direction in the others (two-loop recursion over
 * the last `memory` steps), and backtracks along the projected path P(x + t d) until the Armijo
 * condition holds. Not scipy's Cauchy-point/subspace algorithm, but it stops on the same tests
 * (projected gradient, relative decrease) and finds the same minima on the smooth, box-bounded
 * problems the GP sampler poses: kernel hyperparameters and the acquisition function.
 */

/** f(x), writing df/dx into `grad`. Must not keep or modify `x`. */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of `minimizeLbfgsb`. */
export interface LbfgsbOptions {
  /** Lower bounds, one per variable (-Infinity for none). @default all -Infinity */
  lower?: ArrayLike<number>;
  /** Upper bounds, one per variable (Infinity for none). @default all Infinity */
  upper?: ArrayLike<number>;
  /** Stop when the projected gradient's largest component is at most this. @default 1e-5 */
  pgtol?: number;
  /** Stop when (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) is at most this (scipy's factr * eps). @default 2.2e-9 */
  ftol?: number;
  /** Iterations at most. @default 200 */
  maxIterations?: number;
  /** Function evaluations at most (line-search trials included). @default 1000 */
  maxEvaluations?: number;
  /** Correction pairs kept. @default 10 */
  memory?: number;
}

/** Why `minimizeLbfgsb` stopped. */
export type LbfgsbStop = "pgtol" | "ftol" | "max-iterations" | "max-evaluations" | "line-search";

/** The result of `minimizeLbfgsb`. */
export interface LbfgsbResult {
  /** The best point found (within the bounds). */
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stop: LbfgsbStop;
}

/** Minimises f over the box [lower, upper] from x0 (which is projected into the box first). */
export function minimizeLbfgsb(fg: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const n = x0.length;
  const lower = Float64Array.from({ length: n }, (_, i) => options.lower?.[i] ?? Number.NEGATIVE_INFINITY);
  const upper = Float64Array.from({ length: n }, (_, i) => options.upper?.[i] ?? Number.POSITIVE_INFINITY);
  const pgtol = options.pgtol ?? 1e-5;
  const ftol = options.ftol ?? 2.2e-9;
  const maxIterations = options.maxIterations ?? 200;
  const maxEvaluations = options.maxEvaluations ?? 1000;
  const m = Math.max(1, options.memory ?? 10);

  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = clamp(x0[i]!, lower[i]!, upper[i]!);
  const g = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const q = new Float64Array(n);
  // The correction pairs, a ring buffer of m rows.
  const sMem = new Float64Array(m * n);
  const yMem = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0;
  let head = 0; // the next row to write

  let f = fg(x, g);
  let evaluations = 1;
  let iterations = 0;
  if (!Number.isFinite(f)) return { x, f, iterations, evaluations, stop: "line-search" };

  for (;;) {
    if (projectedGradientNorm(x, g, lower, upper) <= pgtol) return { x, f, iterations, evaluations, stop: "pgtol" };
    if (iterations >= maxIterations) return { x, f, iterations, evaluations, stop: "max-iterations" };

    // Variables on a bound with the gradient pointing out of the box stay where they are.
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      free[i] = (x[i]! <= lower[i]! && gi > 0) || (x[i]! >= upper[i]! && gi < 0) ? 0 : 1;
    }
    twoLoopDirection(g, free, sMem, yMem, rho, alpha, stored, head, m, n, q, d);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i]! * d[i]!;
    if (!(slope < 0)) {
      // The memory no longer gives a descent direction (bounds changed the active set): restart.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] === 1 ? -g[i]! : 0;
    }

    // The first step has no curvature information: keep its length near 1 in x.
    let step = 1;
    if (stored === 0) {
      let dn = 0;
      for (let i = 0; i < n; i++) dn = Math.max(dn, Math.abs(d[i]!));
      step = dn > 1 ? 1 / dn : 1;
    }

    // Backtracking Armijo search along the projected path.
    let accepted = false;
    let fTrial = f;
    for (let trial = 0; trial < 30; trial++) {
      if (evaluations >= maxEvaluations) break;
      let decrease = 0;
      let moved = false;
      for (let i = 0; i < n; i++) {
        const xi = clamp(x[i]! + step * d[i]!, lower[i]!, upper[i]!);
        xTrial[i] = xi;
        decrease += g[i]! * (xi - x[i]!);
        if (xi !== x[i]) moved = true;
      }
      if (!moved) break;
      fTrial = fg(xTrial, gTrial);
      evaluations++;
      if (Number.isFinite(fTrial) && fTrial <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      if (stored > 0) {
        // A bad quasi-Newton model: forget it and retry from steepest descent once.
        stored = 0;
        iterations++;
        continue;
      }
      return { x, f, iterations, evaluations, stop: evaluations >= maxEvaluations ? "max-evaluations" : "line-search" };
    }

    // Store the pair (s, y) when the curvature condition makes the update positive definite.
    const row = head * n;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const s = xTrial[i]! - x[i]!;
      const y = gTrial[i]! - g[i]!;
      sMem[row + i] = s;
      yMem[row + i] = y;
      sy += s * y;
      yy += y * y;
    }
    if (sy > 2.2e-16 * yy) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }

    const fPrevious = f;
    x.set(xTrial);
    g.set(gTrial);
    f = fTrial;
    iterations++;
    if ((fPrevious - f) / Math.max(Math.abs(fPrevious), Math.abs(f), 1) <= ftol) {
      return { x, f, iterations, evaluations, stop: "ftol" };
    }
    if (evaluations >= maxEvaluations) return { x, f, iterations, evaluations, stop: "max-evaluations" };
  }
}

/** The largest component of the projected gradient: how far x is from a KKT point of the box. */
function projectedGradientNorm(x: Float64Array, g: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]!;
    // The step a unit steepest-descent move would take, clipped by the box.
    const moved = clamp(x[i]! - gi, lower[i]!, upper[i]!) - x[i]!;
    worst = Math.max(worst, Math.abs(moved));
  }
  return worst;
}

/**
 * d = -H g over the free variables, H the L-BFGS inverse-Hessian approximation of the stored
 * pairs (restricted to the free variables, so bound ones do not skew it), scaled by s'y/y'y.
 */
function twoLoopDirection(
  g: Float64Array,
  free: Uint8Array,
  sMem: Float64Array,
  yMem: Float64Array,
  rho: Float64Array,
  alpha: Float64Array,
  stored: number,
  head: number,
  m: number,
  n: number,
  q: Float64Array,
  d: Float64Array,
): void {
  for (let i = 0; i < n; i++) q[i] = free[i] === 1 ? g[i]! : 0;
  let gammaScale = 1;
  for (let k = 0; k < stored; k++) {
    const j = (head - 1 - k + m) % m;
    const row = j * n;
    let a = 0;
    for (let i = 0; i < n; i++) if (free[i] === 1) a += sMem[row + i]! * q[i]!;
    a *= rho[j]!;
    alpha[j] = a;
    for (let i = 0; i < n; i++) if (free[i] === 1) q[i]! -= a * yMem[row + i]!;
  }
  if (stored > 0) {
    const j = (head - 1 + m) % m;
    const row = j * n;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      sy += sMem[row + i]! * yMem[row + i]!;
      yy += yMem[row + i]! * yMem[row + i]!;
    }
    if (yy > 0) gammaScale = sy / yy;
  }
  for (let i = 0; i < n; i++) d[i] = q[i]! * gammaScale;
  for (let k = stored - 1; k >= 0; k--) {
    const j = (head - 1 - k + m) % m;
    const row = j * n;
    let b = 0;
    for (let i = 0; i < n; i++) if (free[i] === 1) b += yMem[row + i]! * d[i]!;
    b *= rho[j]!;
    const c = alpha[j]! - b;
    for (let i = 0; i < n; i++) if (free[i] === 1) d[i]! += c * sMem[row + i]!;
  }
  for (let i = 0; i < n; i++) d[i] = free[i] === 1 ? -d[i]! : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
