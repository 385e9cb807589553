/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), so that a
 * seeded study is reproducible bit for bit on every platform. Not for cryptography.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /** `seed` may be any finite number; undefined draws a seed from Math.random. */
  constructor(seed?: number) {
    let s = seed === undefined ? Math.floor(Math.random() * 2 ** 32) : hashNumber(seed);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** A standard normal deviate (Box-Muller, the spare kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  choice(weights: ArrayLike<number>): number {
    return this.choiceWithTotal(weights, sumInOrder(weights));
  }

  /**
   * choice(weights), given the weights' sum as sumInOrder adds them: for many draws from the
   * same weights.
   */
  choiceWithTotal(weights: ArrayLike<number>, total: number): number {
    let r = this.random() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

/** The weights' sum, added first to last (the order choiceWithTotal's total must use). */
export function sumInOrder(weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  return total;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Scratch for hashNumber, shared: a fresh buffer per call cost more than the hash. */
const DOUBLE_VIEW = new DataView(new ArrayBuffer(8));

function hashNumber(x: number): number {
  // Mix both 32-bit halves of the double so seeds like 1 and 2**32+1 differ.
  DOUBLE_VIEW.setFloat64(0, x);
  return mix32(DOUBLE_VIEW.getUint32(0) ^ mix32(DOUBLE_VIEW.getUint32(4)));
}

function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seed derived from a base seed and some labels (a trial number, a parameter name): the same
 * inputs give the same seed, so each trial's draws do not depend on the order trials run in.
 */
export function deriveSeed(seed: number, ...labels: Array<string | number>): number {
  let h = hashNumber(seed);
  for (const label of labels) {
    const s = typeof label === "number" ? `#${label}` : label;
    for (let i = 0; i < s.length; i++) h = mix32(h ^ Math.imul(s.charCodeAt(i) + 1, 0x9e3779b1));
    h = mix32(h ^ 0x68e31da4);
  }
  return h;
}
