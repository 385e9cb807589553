import type { Rng } from "../../rng.js";
import { centralTruncatedQuantile, normalCdfAt, normalSfAt, truncatedStandardNormalQuantile } from "./truncated-normal.js";

/** No masses yet (a Float64Array all the same, so that the field keeps one type). */
const EMPTY = new Float64Array(0);

/**
 * Draws from a dimension's truncated normal components, remembering each component's truncation
 * masses Phi(a) and 1 - Phi(b): TPE draws its candidates from few components (the "below" ones),
 * most of them more than once, and the masses cost an erfc each. A draw is exactly
 * truncatedStandardNormalQuantile's, scaled and clipped into [low, high].
 */
export class TruncatedDraws {
  /** Per component: Phi(a), 1 - Phi(b); NaN until first needed. Empty until the first draw. */
  private masses = EMPTY;

  constructor(
    private readonly mus: Float64Array,
    private readonly sigmas: Float64Array,
    private readonly low: number,
    private readonly high: number,
  ) {}

  /** A draw from component k, in [low, high]. Uses one uniform of `rng`. */
  draw(rng: Rng, k: number): number {
    const mu = this.mus[k] as number;
    const sigma = this.sigmas[k] as number;
    const { low, high } = this;
    const u = rng.random();
    const a = (low - mu) / sigma;
    const b = (high - mu) / sigma;
    let z: number;
    if (a <= 0 && b > 0) {
      // The central case, the usual one: the masses are what truncatedStandardNormalQuantile
      // would compute.
      if (this.masses === EMPTY) this.masses = new Float64Array(2 * this.mus.length).fill(Number.NaN);
      const masses = this.masses;
      let cdfA = masses[2 * k] as number;
      if (Number.isNaN(cdfA)) {
        cdfA = normalCdfAt(a);
        masses[2 * k] = cdfA;
        masses[2 * k + 1] = normalSfAt(b);
      }
      z = centralTruncatedQuantile(u, a, b, cdfA, masses[2 * k + 1] as number);
    } else {
      z = truncatedStandardNormalQuantile(u, a, b);
    }
    return Math.min(Math.max(mu + sigma * z, low), high);
  }
}
