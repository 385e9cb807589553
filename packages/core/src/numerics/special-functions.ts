/**
 * The error function family and the normal distribution's tails, accurate to near machine
 * precision also where the plain formulas under- or overflow: what log expected improvement
 * and log probability of feasibility need far from the data.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_HALF = Math.SQRT1_2;
/** log(sqrt(2 pi)). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x) exp(x^2), the scaled complementary error function: finite for every x >= 0 (it tends
 * to 1 / (x sqrt(pi))), where erfc itself underflows past x ~ 27.
 */
export function erfcx(x: number): number {
  if (x < 0) {
    // erfc(-x) = 2 - erfc(x); for very negative x this overflows, as it must.
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x < 2) return Math.exp(x * x) * (1 - erfSeries(x));
  return 1 / (SQRT_PI * erfcContinuedFraction(x));
}

/** The complementary error function 1 - erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27.3) return 0; // below the smallest double
  return Math.exp(-x * x) / (SQRT_PI * erfcContinuedFraction(x));
}

/** erf(x) by its Maclaurin series; accurate to ~1e-15 for |x| < 2, where its terms stay small. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x; // (-1)^k x^(2k+1) / k!
  let sum = x;
  for (let k = 1; k < 100; k++) {
    term *= -x2 / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/**
 * The continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), whose reciprocal over sqrt(pi)
 * is erfcx(x) (Abramowitz and Stegun 7.1.14), by the modified Lentz method. For x >= 2 it
 * converges to machine precision within about a hundred terms.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    d = 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/** The standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** The standard normal distribution function Phi(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT_HALF);
}

/** log Phi(z), finite for every finite z (log Phi(-40) ~ -804.6, where Phi underflows). */
export function logNormalCdf(z: number): number {
  if (z > 0) return Math.log1p(-0.5 * erfc(z * SQRT_HALF));
  if (z > -1) return Math.log(0.5 * erfc(-z * SQRT_HALF));
  return Math.log(0.5 * erfcx(-z * SQRT_HALF)) - 0.5 * z * z;
}

/** d/dz log Phi(z) = phi(z) / Phi(z), without 0 / 0 in the lower tail. */
export function logNormalCdfDerivative(z: number): number {
  if (z > -1) return normalPdf(z) / normalCdf(z);
  // phi(z) / Phi(z) = 1 / (sqrt(pi/2) erfcx(-z / sqrt 2)).
  return 1 / (Math.sqrt(Math.PI / 2) * erfcx(-z * SQRT_HALF));
}

/**
 * h(z) = log E[max(0, Z + z)] = log(phi(z) + z Phi(z)) for a standard normal Z: the log expected
 * improvement of a unit-variance posterior whose mean is z above the incumbent (Ament et al.
 * 2023, "Unexpected improvements to expected improvement"). Writes h'(z) into `derivative[0]`
 * when given. Below z = -1 the sum phi + z Phi cancels, so it is rewritten with the Mills ratio
 * R(t) = Phi(-t) / phi(t) (t = -z) as phi(z) (1 - t R(t)); past t = 40 the factor 1 - t R(t) is
 * taken from its asymptotic series, since t R(t) is then 1 to within 1e-3.
 */
export function standardLogEI(z: number, derivative?: Float64Array): number {
  if (z >= -1) {
    const cdf = normalCdf(z);
    const value = normalPdf(z) + z * cdf;
    if (derivative !== undefined) derivative[0] = cdf / value;
    return Math.log(value);
  }
  const t = -z;
  const mills = Math.sqrt(Math.PI / 2) * erfcx(t * SQRT_HALF);
  let w: number;
  if (t < 40) {
    w = 1 - t * mills;
  } else {
    const u = 1 / (t * t);
    w = u * (1 - u * (3 - u * (15 - u * (105 - u * 945))));
  }
  if (derivative !== undefined) derivative[0] = mills / w;
  return -0.5 * z * z - LOG_SQRT_2PI + Math.log(w);
}
