/**
 * The standard normal distribution's error functions, log CDF, log interval mass and inverse
 * CDF, and the truncated normal built on them. Everything TPE's kernels need, accurate in the
 * tails: the log functions never form a CDF that could underflow to 0.
 *
 * erf/erfc use the rational approximations of Cody and Hart as tabulated in Cephes (relative
 * error ~1e-15 on the whole line); the inverse CDF is Acklam's approximation polished by one
 * Halley step against erfc.
 */

const SQRT1_2 = Math.SQRT1_2;
const LN_HALF = -Math.LN2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** log(sqrt(2 pi)), the normal density's normaliser. */
export const LOG_SQRT_2PI = Math.log(SQRT_2PI);

// erf(x) = x T(x^2) / U(x^2) for |x| < 1.
const ERF_T = [9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3, 5.55923013010394962768e4];
const ERF_U = [3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4, 4.92673942608635921086e4];
// erfcx(x) = P(x) / Q(x) for 1 <= x < 8.
const ERFC_P = [
  2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0, 4.86371970985681366614e1,
  1.96520832956077098242e2, 5.26445194995477358631e2, 9.34528527171957607540e2, 1.02755188689515710272e3,
  5.57535335369399327526e2,
];
const ERFC_Q = [
  1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2,
  1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2,
];
// erfcx(x) = R(x) / S(x) for x >= 8.
const ERFC_R = [5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0, 6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0];
const ERFC_S = [2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1, 1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0];

/** c[0] x^n + ... + c[n]. */
function polynomial(x: number, c: readonly number[]): number {
  let y = c[0] as number;
  for (let i = 1; i < c.length; i++) y = y * x + (c[i] as number);
  return y;
}

/** x^n + c[0] x^(n-1) + ... + c[n-1]: a polynomial with a leading 1 left out of the table. */
function monicPolynomial(x: number, c: readonly number[]): number {
  let y = x + (c[0] as number);
  for (let i = 1; i < c.length; i++) y = y * x + (c[i] as number);
  return y;
}

/** The error function. */
export function erf(x: number): number {
  if (Math.abs(x) > 1) return 1 - erfc(x);
  const z = x * x;
  return (x * polynomial(z, ERF_T)) / monicPolynomial(z, ERF_U);
}

/** The scaled complementary error function exp(x^2) erfc(x), for x >= 0: finite where erfc underflows. */
export function erfcxNonNegative(x: number): number {
  if (x < 1) return Math.exp(x * x) * (1 - erf(x));
  if (x < 8) return polynomial(x, ERFC_P) / monicPolynomial(x, ERFC_Q);
  return polynomial(x, ERFC_R) / monicPolynomial(x, ERFC_S);
}

/** The complementary error function 1 - erf(x), with full relative accuracy for large x. */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  if (ax < 1) return 1 - erf(x);
  const y = ax > 27 ? 0 : Math.exp(-ax * ax) * erfcxNonNegative(ax);
  return x < 0 ? 2 - y : y;
}

/** log erfc(x) for x >= 0, finite however large x is. */
function logErfcNonNegative(x: number): number {
  return x < 1 ? Math.log(erfc(x)) : Math.log(erfcxNonNegative(x)) - x * x;
}

/** The standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** log of the standard normal CDF, accurate far into both tails. */
export function logNormalCdf(x: number): number {
  if (x > 0) return Math.log1p(-0.5 * erfc(x * SQRT1_2));
  return LN_HALF + logErfcNonNegative(-x * SQRT1_2);
}

/** log(1 - exp(x)) for x <= 0, without cancellation at either end. */
function log1mExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * log(Phi(b) - Phi(a)) for a <= b: the log probability that a standard normal falls in [a, b].
 * When both ends are in one tail it works with log CDFs of that tail, so a narrow interval far
 * from the mean gets a finite (very negative) value instead of log 0.
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    const lb = logNormalCdf(b);
    return lb + log1mExp(logNormalCdf(a) - lb);
  }
  if (a > 0) {
    const la = logNormalCdf(-a);
    return la + log1mExp(logNormalCdf(-b) - la);
  }
  // The interval holds the mean: the mass is at least Phi(b) - 1/2 or 1/2 - Phi(a), no tail
  // trouble. A tail beyond 8.5 sigma is under 1e-17 and would not change the sum: skip its erfc.
  const lowTail = a < -8.5 ? 0 : 0.5 * erfc(-a * SQRT1_2);
  const highTail = b > 8.5 ? 0 : 0.5 * erfc(b * SQRT1_2);
  return Math.log1p(-lowTail - highTail);
}

/** Beyond this many sigmas a normal's tail (< 1e-17) is left out of masses near 1. */
const TAIL_CUTOFF = 8.5;
const TAIL_STEPS_PER_UNIT = 256;
const TAIL_KNOTS = Math.ceil(TAIL_CUTOFF * TAIL_STEPS_PER_UNIT) + 2;
/**
 * Q(x) = 1 - Phi(x) at x = i / 256, and h Q'(x) = -h phi(x) with h = 1 / 256 the knot spacing,
 * for cubic Hermite interpolation. (h is a power of 2: scaling the slopes by it ahead is exact.)
 */
const TAIL_VALUES = new Float64Array(TAIL_KNOTS);
const TAIL_STEP_SLOPES = new Float64Array(TAIL_KNOTS);
for (let i = 0; i < TAIL_KNOTS; i++) {
  const x = i / TAIL_STEPS_PER_UNIT;
  TAIL_VALUES[i] = 0.5 * erfc(x * SQRT1_2);
  TAIL_STEP_SLOPES[i] = (-Math.exp(-0.5 * x * x) / SQRT_2PI) * (1 / TAIL_STEPS_PER_UNIT);
}

/**
 * The upper tail Q(x) = 1 - Phi(x) for x >= 0, to an absolute error below 4e-13 (not a relative
 * one: use erfc in the far tail). Cubic Hermite interpolation in a table; several times faster
 * than erfc, for the truncation masses every kernel needs.
 */
function normalTailNear(x: number): number {
  if (x >= TAIL_CUTOFF) return 0;
  const u = x * TAIL_STEPS_PER_UNIT;
  const i = u | 0;
  const t = u - i;
  const y0 = TAIL_VALUES[i] as number;
  const y1 = TAIL_VALUES[i + 1] as number;
  const d0 = TAIL_STEP_SLOPES[i] as number;
  const d1 = TAIL_STEP_SLOPES[i + 1] as number;
  const t2 = t * t;
  const t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * d0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * d1;
}

/**
 * log(Phi(b) - Phi(a)) for a <= 0 <= b, the truncation mass of a kernel whose mean lies inside
 * its range: 1 minus two tails, each to an absolute error of 4e-13. TPE's kernels are at most
 * as wide as their range (b - a >= 1), so the mass is at least 0.38 and the log is good to 2e-12.
 * The fast path behind every kernel's normaliser.
 */
export function logCentralMass(a: number, b: number): number {
  if (a > 0 || b < 0) return logGaussMass(a, b);
  const tails = normalTailNear(-a) + normalTailNear(b);
  // Both ends beyond the cutoff, common for narrow kernels: the series below gives -0.
  if (tails === 0) return -0;
  // log1p(-t) by its series while t is small (8 terms: error < t^9 / 9 < 1e-19 for t < 0.01).
  // (t * 0.125 is exactly t / 8.)
  if (tails < 0.01) {
    const t = tails;
    return -t * (1 + t * (1 / 2 + t * (1 / 3 + t * (1 / 4 + t * (1 / 5 + t * (1 / 6 + t * (1 / 7 + t * 0.125)))))));
  }
  return Math.log1p(-tails);
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
const ICDF_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ICDF_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1, 1];
const ICDF_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ICDF_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416, 1];
const ICDF_P_LOW = 0.02425;

/** The standard normal quantile Phi^-1(p) for p in (0, 1); +-Infinity at 1 and 0. */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < ICDF_P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(q, ICDF_C) / polynomial(q, ICDF_D);
  } else if (p <= 1 - ICDF_P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(r, ICDF_A) * q) / polynomial(r, ICDF_B);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -polynomial(q, ICDF_C) / polynomial(q, ICDF_D);
  }
  // One Halley step brings the 1e-9 approximation to full precision (exp overflows only for
  // p below the smallest normal double, where there is nothing left to polish).
  if (x * x < 1400) {
    const e = normalCdf(x) - p;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}

/** Phi^-1(exp(logP)) for logP <= log(1/2), also where exp(logP) underflows. */
export function normalQuantileFromLog(logP: number): number {
  if (logP > -700) return normalQuantile(Math.exp(logP));
  // Newton on log Phi(x) = logP from the asymptotic start; the tail is smooth and log-concave.
  const t = -2 * logP;
  let x = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
  for (let i = 0; i < 4; i++) {
    const f = logNormalCdf(x) - logP;
    const slope = Math.exp(-0.5 * x * x - LOG_SQRT_2PI - logNormalCdf(x));
    x -= f / slope;
  }
  return x;
}

/**
 * The quantile at `u` in [0, 1) of a standard normal truncated to [a, b] (a < b), by inverting
 * the CDF. Works in whichever tail keeps the probabilities away from 1, where they would lose
 * their digits.
 */
export function truncatedStandardNormalQuantile(u: number, a: number, b: number): number {
  if (a > 0) return -truncatedStandardNormalQuantile(1 - u, -b, -a);
  if (b <= 0) {
    // All in the left tail, where CDFs can underflow: p = Phi(b) (u + (1 - u) Phi(a) / Phi(b)) in logs.
    const logCdfB = logNormalCdf(b);
    const logP = logCdfB + Math.log(u + (1 - u) * Math.exp(logNormalCdf(a) - logCdfB));
    return Math.min(Math.max(normalQuantileFromLog(logP), a), b);
  }
  return centralTruncatedQuantile(u, a, b, normalCdfAt(a), normalSfAt(b));
}

/** Phi(a), as the truncated quantile takes it. */
export function normalCdfAt(a: number): number {
  return 0.5 * erfc(-a * SQRT1_2);
}

/** 1 - Phi(b), as the truncated quantile takes it. */
export function normalSfAt(b: number): number {
  return 0.5 * erfc(b * SQRT1_2);
}

/**
 * truncatedStandardNormalQuantile for a <= 0 < b, given cdfA = normalCdfAt(a) and
 * sfB = normalSfAt(b): a sampler drawing from one truncation many times computes those once.
 */
export function centralTruncatedQuantile(u: number, a: number, b: number, cdfA: number, sfB: number): number {
  const mass = 1 - cdfA - sfB;
  const p = cdfA + u * mass;
  const x = p <= 0.5 ? normalQuantile(p) : -normalQuantile(sfB + (1 - u) * mass);
  return Math.min(Math.max(x, a), b);
}

/**
 * log of the normaliser of a normal(mu, sigma) truncated to [low, high], as a density on the
 * original scale: log(sigma sqrt(2 pi)) + log(Phi(b) - Phi(a)). The log density at x is then
 * -((x - mu) / sigma)^2 / 2 minus this.
 */
export function logTruncatedNormalNormalizer(mu: number, sigma: number, low: number, high: number): number {
  return Math.log(sigma) + LOG_SQRT_2PI + logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/** log density at x of normal(mu, sigma) truncated to [low, high]; -Infinity outside. */
export function truncatedNormalLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - logTruncatedNormalNormalizer(mu, sigma, low, high);
}
