/**
 * numpy's legacy `np.random.RandomState(seed).permutation(n)`, bit for bit: a Mersenne Twister
 * (MT19937) seeded with `init_genrand`, and numpy's Fisher-Yates shuffle that draws each index by
 * masked rejection sampling. sklearn's `train_test_split(random_state=seed)` is one such
 * permutation, so this gives the tutorial's exact split. Deterministic; no Math.random.
 */

const N = 624;
const M = 397;

/** MT19937 (Matsumoto and Nishimura, 1998) with the 32-bit output of `genrand_int32`. */
class MersenneTwister {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.state[i - 1]!;
      this.state[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

/** A uniform integer in [0, max] by masked rejection, as numpy's `random_interval` (max < 2^32). */
function randomInterval(rng: MersenneTwister, max: number): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  let value: number;
  do {
    value = (rng.nextUint32() & mask) >>> 0;
  } while (value > max);
  return value;
}

/** The same array as `np.random.RandomState(seed).permutation(n)`. */
export function permutation(n: number, seed: number): number[] {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
  }
  const rng = new MersenneTwister(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInterval(rng, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
