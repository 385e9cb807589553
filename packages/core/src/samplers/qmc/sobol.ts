import { Rng } from "../../rng.js";
import { MAX_SOBOL_DIMENSIONS, SOBOL_DIRECTION_NUMBERS } from "./sobol-direction-numbers.js";

const BITS = 32;
const SCALE = 2 ** -BITS;

/**
 * The Sobol sequence in `dimensions` dimensions with 32-bit direction numbers, point by index in
 * Gray-code order (scipy.stats.qmc.Sobol's order), so any point is computed on its own: a trial's
 * point depends only on its number. Scrambled, it is randomised by a linear matrix scramble and a
 * digital shift (as scipy's default), which keeps the net's balance.
 */
export class SobolSequence {
  /** Direction numbers, dimension-major: v[d * BITS + k] for bit k of the index. */
  private readonly v: Uint32Array;
  private readonly shift: Uint32Array;

  constructor(
    readonly dimensions: number,
    scramble: { seed: number } | null = null,
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_SOBOL_DIMENSIONS) {
      throw new RangeError(`the Sobol sequence has direction numbers for 1 to ${MAX_SOBOL_DIMENSIONS} dimensions, got ${dimensions}`);
    }
    this.v = new Uint32Array(dimensions * BITS);
    for (let d = 0; d < dimensions; d++) this.v.set(directionNumbers(d), d * BITS);
    this.shift = new Uint32Array(dimensions);
    if (scramble !== null) {
      const rng = new Rng(scramble.seed);
      for (let d = 0; d < dimensions; d++) {
        scrambleLinearly(this.v.subarray(d * BITS, (d + 1) * BITS), rng);
        this.shift[d] = rng.nextUint32();
      }
    }
  }

  /** The `index`-th point (index >= 0, below 2^32), in [0, 1)^dimensions. */
  point(index: number): Float64Array {
    const gray = (index ^ (index >>> 1)) >>> 0;
    const out = new Float64Array(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) {
      let x = this.shift[d] as number;
      for (let k = 0, g = gray; g !== 0; k++, g >>>= 1) if (g & 1) x ^= this.v[d * BITS + k] as number;
      out[d] = (x >>> 0) * SCALE;
    }
    return out;
  }
}

/** The 32 direction numbers of dimension `d` (0-based), as Bratley and Fox's recurrence builds them from Joe and Kuo's table. */
function directionNumbers(d: number): Uint32Array {
  const m = new Uint32Array(BITS);
  if (d === 0) m.fill(1);
  else {
    const [poly, ...initial] = SOBOL_DIRECTION_NUMBERS[d - 1] as readonly number[];
    const s = Math.floor(Math.log2(poly as number));
    m.set(initial);
    for (let k = s; k < BITS; k++) {
      // m_k = 2^s m_{k-s} xor m_{k-s} xor sum_j 2^j a_j m_{k-j}, a_j the polynomial's inner bits.
      let mk = (m[k - s] as number) ^ ((m[k - s] as number) << s);
      for (let j = 1; j < s; j++) if (((poly as number) >> (s - j)) & 1) mk ^= (m[k - j] as number) << j;
      m[k] = mk;
    }
  }
  const v = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) v[k] = ((m[k] as number) << (BITS - 1 - k)) >>> 0;
  return v;
}

/**
 * Left-multiplies each direction number (as a bit column, most significant bit first) by one
 * random lower-triangular binary matrix with a unit diagonal: bit r of the result is the parity
 * of the number's bits r and above that row r of the matrix selects.
 */
function scrambleLinearly(v: Uint32Array, rng: Rng): void {
  const rows = new Uint32Array(BITS);
  for (let r = 0; r < BITS; r++) {
    const own = 1 << (BITS - 1 - r);
    // Row r may select the r more significant bits at random, and always its own.
    const above = r === 0 ? 0 : (rng.nextUint32() & ~((own << 1) - 1 >>> 0)) >>> 0;
    rows[r] = (above | own) >>> 0;
  }
  for (let k = 0; k < BITS; k++) {
    let out = 0;
    for (let r = 0; r < BITS; r++) if (parity((rows[r] as number) & (v[k] as number))) out |= 1 << (BITS - 1 - r);
    v[k] = out >>> 0;
  }
}

function parity(x: number): number {
  let y = x >>> 0;
  y ^= y >>> 16;
  y ^= y >>> 8;
  y ^= y >>> 4;
  y ^= y >>> 2;
  y ^= y >>> 1;
  return y & 1;
}
