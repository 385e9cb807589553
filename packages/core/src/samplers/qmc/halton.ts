import { Rng } from "../../rng.js";

/**
 * The Halton sequence: dimension d is the radical inverse of the index in the d-th prime. Scrambled,
 * every digit position of every dimension gets its own random permutation of the digits (including
 * the zeros past the index's last digit, so points do not sit on a coarse grid), as scipy's
 * scrambled Halton. Any number of dimensions.
 */
export class HaltonSequence {
  private readonly bases: number[];
  /** Per dimension, per digit position: a permutation of 0..base-1; empty when not scrambled. */
  private readonly permutations: Uint16Array[][];

  constructor(
    readonly dimensions: number,
    scramble: { seed: number } | null = null,
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`the Halton sequence needs 1 or more dimensions, got ${dimensions}`);
    this.bases = firstPrimes(dimensions);
    const rng = scramble === null ? null : new Rng(scramble.seed);
    this.permutations = this.bases.map((base) => {
      if (rng === null) return [];
      // Enough positions that base^-depth is below a double's resolution at 1.
      const depth = Math.ceil(53 / Math.log2(base));
      return Array.from({ length: depth }, () => shuffled(base, rng));
    });
  }

  /** The `index`-th point (index >= 0), in [0, 1)^dimensions. */
  point(index: number): Float64Array {
    const out = new Float64Array(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) {
      const base = this.bases[d] as number;
      const perms = this.permutations[d] as Uint16Array[];
      let x = 0;
      let scale = 1 / base;
      let i = index;
      if (perms.length === 0) {
        for (; i > 0; i = Math.floor(i / base), scale /= base) x += (i % base) * scale;
      } else {
        for (const perm of perms) {
          x += (perm[i % base] as number) * scale;
          i = Math.floor(i / base);
          scale /= base;
        }
      }
      out[d] = Math.min(x, 1 - Number.EPSILON / 2);
    }
    return out;
  }
}

function shuffled(n: number, rng: Rng): Uint16Array {
  const p = Uint16Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let c = 2; primes.length < n; c++) if (primes.every((p) => p * p > c || c % p !== 0)) primes.push(c);
  return primes;
}
