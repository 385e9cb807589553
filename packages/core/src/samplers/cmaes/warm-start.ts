/**
 * Warm starting CMA-ES (Nomura et al., AAAI 2021, as the `cmaes` library's get_warm_start_mgd):
 * the initial Gaussian is fitted to the best gamma fraction of trials of a similar earlier task,
 * widened by alpha^2 I so it does not start collapsed, then split into sigma (the geometric mean
 * scale) and a covariance of determinant 1.
 */
import { symmetricEigen } from "../../numerics/symmetric-eigen.js";

export interface WarmStart {
  mean: number[];
  sigma: number;
  cov: number[][];
}

/** The warm-start Gaussian of (unit-cube point, loss) pairs; needs at least one. */
export function warmStartGaussian(solutions: ReadonlyArray<{ x: readonly number[]; loss: number }>, gamma = 0.1, alpha = 0.1): WarmStart {
  const n = solutions[0]!.x.length;
  const top = [...solutions].sort((a, b) => a.loss - b.loss).slice(0, Math.max(Math.floor(gamma * solutions.length), 1));
  const mean = new Array<number>(n).fill(0);
  for (const s of top) for (let i = 0; i < n; i++) mean[i]! += s.x[i]! / top.length;
  const sigmaMatrix = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let c = 0;
      for (const s of top) c += (s.x[i]! - mean[i]!) * (s.x[j]! - mean[j]!);
      return c / top.length + (i === j ? alpha * alpha : 0);
    }),
  );
  // log det from the eigenvalues: the matrix is positive definite by the alpha^2 I term.
  const logDet = symmetricEigen(sigmaMatrix).values.reduce((s, v) => s + Math.log(v), 0);
  const sigma = Math.exp(logDet / (2 * n));
  const unit = Math.exp(logDet / n);
  return { mean, sigma, cov: sigmaMatrix.map((row) => row.map((c) => c / unit)) };
}
