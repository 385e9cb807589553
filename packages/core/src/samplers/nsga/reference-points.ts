import { InvalidOptionError } from "../../errors.js";

/**
 * Das and Dennis's structured reference points, NSGA-III's default: every point of the unit
 * simplex in `nObjectives` dimensions whose coordinates are multiples of 1/`divisions`
 * (C(m + p - 1, p) points). Optuna's dividing parameter defaults to 3.
 */
export function dasDennisPoints(nObjectives: number, divisions = 3): number[][] {
  if (!Number.isInteger(nObjectives) || nObjectives < 1) {
    throw new InvalidOptionError("nObjectives", `must be an integer >= 1, got ${nObjectives}`);
  }
  if (!Number.isInteger(divisions) || divisions < 1) {
    throw new InvalidOptionError("dividingParameter", `must be an integer >= 1, got ${divisions}`);
  }
  const out: number[][] = [];
  const current = new Array<number>(nObjectives).fill(0);
  const fill = (index: number, left: number) => {
    if (index === nObjectives - 1) {
      current[index] = left / divisions;
      out.push([...current]);
      return;
    }
    for (let k = left; k >= 0; k--) {
      current[index] = k / divisions;
      fill(index + 1, left - k);
    }
  };
  fill(0, divisions);
  return out;
}
