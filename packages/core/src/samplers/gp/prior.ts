/**
 * Optuna's default prior over the kernel parameters (`_gp/prior.py`, picked there by heuristics),
 * which keeps the marginal-likelihood fit away from degenerate lengthscales and noise:
 *
 *   sum_d -(0.1 / isl_d + 0.1 isl_d)   (peaks at isl = 1, i.e. lengthscale 1 on [0, 1])
 *   + Gamma(2, 1) on the kernel scale + Gamma(1.1, 30) on the noise variance,
 *
 * each without its normalising constant. The fit works on log parameters, so the gradient is
 * given with respect to log isl_d, log kernelScale and the noise's own raw coordinate.
 */

/** The smallest noise variance the fit allows (Optuna's DEFAULT_MINIMUM_NOISE_VAR). */
export const MINIMUM_NOISE_VAR = 1e-6;

/** log Gamma(x; a, b) up to a constant, and its derivative in x. */
function gammaLogPrior(x: number, concentration: number, rate: number): [number, number] {
  return [(concentration - 1) * Math.log(x) - rate * x, (concentration - 1) / x - rate];
}

/**
 * The log prior at (isl, kernelScale, noiseVar). Adds d(log prior)/d(log isl_d) into gradIsl,
 * and returns [value, d/d kernelScale, d/d noiseVar] (the caller applies the chain rule of its
 * own noise coordinate).
 */
export function defaultLogPrior(isl: Float64Array, kernelScale: number, noiseVar: number, gradLogIsl: Float64Array): [number, number, number] {
  let value = 0;
  for (let d = 0; d < isl.length; d++) {
    const v = isl[d]!;
    value -= 0.1 / v + 0.1 * v;
    // d/d log v of -(0.1 / v + 0.1 v) = 0.1 / v - 0.1 v.
    gradLogIsl[d]! += 0.1 / v - 0.1 * v;
  }
  const [scaleValue, scaleDerivative] = gammaLogPrior(kernelScale, 2, 1);
  const [noiseValue, noiseDerivative] = gammaLogPrior(noiseVar, 1.1, 30);
  return [value + scaleValue + noiseValue, scaleDerivative, noiseDerivative];
}
