import type { Rng } from "../rng.js";

/**
 * Points of a scrambled Halton sequence in [0, 1)^dim: dimension k is the radical inverse in the
 * k-th prime base, each digit position passed through its own random permutation of the digits
 * (Owen-style random digit scrambling), which removes the plain sequence's correlation between
 * high dimensions while keeping its low discrepancy. A random start index decorrelates calls
 * with different rngs. Any number of dimensions; no tables.
 */
export function scrambledHalton(count: number, dim: number, rng: Rng): Float64Array {
  const out = new Float64Array(count * dim);
  const bases = firstPrimes(dim);
  const start = rng.int(1 << 20);
  for (let k = 0; k < dim; k++) {
    const base = bases[k]!;
    // Enough digits that base^-digits is below double precision.
    const digits = Math.ceil(53 / Math.log2(base));
    const permutations = new Uint16Array(digits * base);
    for (let j = 0; j < digits; j++) {
      const row = j * base;
      for (let a = 0; a < base; a++) permutations[row + a] = a;
      for (let a = base - 1; a > 0; a--) {
        const b = rng.int(a + 1);
        const t = permutations[row + a]!;
        permutations[row + a] = permutations[row + b]!;
        permutations[row + b] = t;
      }
    }
    // The value of the permuted zero digits from position j on: every index ends in zeros.
    const zeroTail = new Float64Array(digits + 1);
    for (let j = digits - 1; j >= 0; j--) zeroTail[j] = zeroTail[j + 1]! + permutations[j * base]! * base ** -(j + 1);
    for (let i = 0; i < count; i++) {
      let index = start + i;
      let value = 0;
      let scale = 1 / base;
      let j = 0;
      for (; j < digits && index > 0; j++) {
        const digit = index % base;
        index = (index - digit) / base;
        value += permutations[j * base + digit]! * scale;
        scale /= base;
      }
      value += zeroTail[j]!;
      out[i * dim + k] = Math.min(value, 1 - 2 ** -53);
    }
  }
  return out;
}

/** The first n primes. */
export function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let c = 2; primes.length < n; c++) {
    let prime = true;
    for (const p of primes) {
      if (p * p > c) break;
      if (c % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push(c);
  }
  return primes;
}
