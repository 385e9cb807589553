/**
 * Log-sum-exp over mixture components, TPE's hottest loop: for each candidate, a sum over every
 * observation's kernel. Terms more than 40 below the largest add under 1e-17 of the sum and are
 * skipped; the rest need exp of a number in [-40, 0], which `expNonPositive` computes about twice
 * as fast as Math.exp at the same precision.
 */

/** Terms this far (in log) below the largest contribute nothing a double can hold. */
export const NEGLIGIBLE = -40;

const STEPS_PER_LN2 = 32;
const INV_STEP = STEPS_PER_LN2 / Math.LN2;
const STEP = Math.LN2 / STEPS_PER_LN2;
/** exp(-j ln2 / 32) for every j that an argument in [NEGLIGIBLE, 0] can round to. */
const EXP_TABLE = new Float64Array(Math.ceil(-NEGLIGIBLE * INV_STEP) + 2);
for (let j = 0; j < EXP_TABLE.length; j++) EXP_TABLE[j] = Math.exp(-j * STEP);

/**
 * exp(x) for x in [NEGLIGIBLE, 0], to within 1e-15 relative: a table lookup at the nearest
 * multiple of ln2/32 times a degree-6 Taylor polynomial for the rest (|r| <= ln2/64).
 */
export function expNonPositive(x: number): number {
  const j = (0.5 - x * INV_STEP) | 0;
  const r = x + j * STEP;
  return (
    (EXP_TABLE[j] as number) * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r / 720))))))
  );
}

/** log(sum(exp(values))), stable: scaled by the largest value, negligible terms skipped. */
export function logSumExp(values: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < values.length; k++) if ((values[k] as number) > max) max = values[k] as number;
  if (max === Number.NEGATIVE_INFINITY) return max;
  const cut = max + NEGLIGIBLE;
  let sum = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (v > cut) sum += expNonPositive(v - max);
  }
  return max + Math.log(sum);
}
