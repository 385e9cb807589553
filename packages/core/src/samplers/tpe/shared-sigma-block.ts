import { expNonPositive, NEGLIGIBLE } from "./log-sum-exp.js";
import { freshFloat64, type Float64Allocator } from "./scratch-arena.js";

/**
 * Multivariate TPE's observation kernels when every dimension is continuous: all observations
 * share one sigma per dimension, so in coordinates centred on the range and scaled by it,
 * y = (x - centre) / sigma, the exponent of kernel k is
 *
 *   -|y - u_k|^2 / 2 = -|y|^2 / 2 + y . u_k - |u_k|^2 / 2
 *
 * and a point's log density under every kernel is one dot product per kernel: a single pass
 * over the kernels, about a fifth faster than a pass per dimension. (Centred and scaled, |y| and
 * |u_k| stay below ~40, so the expansion loses no digits that matter.) The prior component has
 * its own sigmas and is added on its own.
 */
export class SharedSigmaBlock {
  private readonly D: number;
  private readonly n: number;
  /** u_k, row-major (n x D). */
  private readonly centres: Float64Array;
  /** base[k] - |u_k|^2 / 2 for the observations; the prior's base at index n. */
  private readonly constants: Float64Array;
  private readonly y: Float64Array;
  /** The range centres (the prior's means). */
  private readonly origins: Float64Array;

  /**
   * @param mus per dimension: the n observations' means, then the prior's (the range's centre,
   *   which is also the origin of the scaled coordinates)
   * @param sigmas per dimension: the observations' shared sigma
   * @param priorSigmas per dimension: the prior's sigma
   * @param base per component: log weight + log normalisers (n + 1 values)
   * @param scratch n + 1 values of working space
   */
  constructor(
    mus: readonly Float64Array[],
    private readonly sigmas: Float64Array,
    private readonly priorSigmas: Float64Array,
    base: Float64Array,
    private readonly scratch: Float64Array,
    alloc: Float64Allocator = freshFloat64,
  ) {
    this.D = mus.length;
    this.n = base.length - 1;
    this.origins = Float64Array.from(mus, (m) => m[this.n] as number);
    this.centres = alloc(this.n * this.D);
    this.constants = alloc(this.n + 1);
    this.y = new Float64Array(this.D);
    for (let k = 0; k < this.n; k++) {
      let squares = 0;
      for (let d = 0; d < this.D; d++) {
        const u = (((mus[d] as Float64Array)[k] as number) - (this.origins[d] as number)) / (sigmas[d] as number);
        this.centres[k * this.D + d] = u;
        squares += u * u;
      }
      this.constants[k] = (base[k] as number) - 0.5 * squares;
    }
    this.constants[this.n] = base[this.n] as number;
  }

  /** The mixture's log density at the point `points[offset .. offset + D)`. */
  logPdf(points: Float64Array, offset: number): number {
    const { D, n, centres, constants, y, scratch } = this;
    let yy = 0;
    let prior = constants[n] as number;
    for (let d = 0; d < D; d++) {
      const x = points[offset + d] as number;
      const yd = (x - (this.origins[d] as number)) / (this.sigmas[d] as number);
      y[d] = yd;
      yy += yd * yd;
      const z = (x - (this.origins[d] as number)) / (this.priorSigmas[d] as number);
      prior -= 0.5 * z * z;
    }
    // Terms without -|y|^2 / 2, which is common to all observations: added back at the end.
    const shift = 0.5 * yy;
    let max = prior + shift;
    scratch[n] = max;
    if (D >= 4) {
      // The first four coordinates unrolled, held in locals: a third faster than the plain loop.
      const y0 = y[0] as number;
      const y1 = y[1] as number;
      const y2 = y[2] as number;
      const y3 = y[3] as number;
      for (let k = 0, row = 0; k < n; k++, row += D) {
        let v =
          (constants[k] as number) +
          y0 * (centres[row] as number) +
          y1 * (centres[row + 1] as number) +
          y2 * (centres[row + 2] as number) +
          y3 * (centres[row + 3] as number);
        for (let d = 4; d < D; d++) v += (y[d] as number) * (centres[row + d] as number);
        scratch[k] = v;
        if (v > max) max = v;
      }
    } else {
      for (let k = 0, row = 0; k < n; k++, row += D) {
        let v = constants[k] as number;
        for (let d = 0; d < D; d++) v += (y[d] as number) * (centres[row + d] as number);
        scratch[k] = v;
        if (v > max) max = v;
      }
    }
    const cut = max + NEGLIGIBLE;
    let sum = 0;
    for (let k = 0; k <= n; k++) {
      const v = scratch[k] as number;
      if (v > cut) sum += expNonPositive(v - max);
    }
    return max - shift + Math.log(sum);
  }
}
