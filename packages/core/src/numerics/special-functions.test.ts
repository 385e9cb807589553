import { describe, expect, it } from "vitest";
import { erfc, erfcx, logNormalCdf, logNormalCdfDerivative, normalCdf, normalPdf, standardLogEI } from "./special-functions.js";

/** Relative difference, so tiny tails are judged on their digits, not their size. */
function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe("erfc and erfcx", () => {
  it("match Python's math.erfc across the branch points", () => {
    const reference: Array<[number, number]> = [
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [1.9, 0.0072095707647425325],
      [2, 0.004677734981047265],
      [2.1, 0.002979466656332984],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45],
      [26, 5.663192408856143e-296],
    ];
    for (const [x, v] of reference) {
      expect(rel(erfc(x), v), `erfc(${x})`).toBeLessThan(1e-12);
      expect(rel(erfc(-x), 2 - v), `erfc(-${x})`).toBeLessThan(1e-14);
    }
  });

  it("erfcx stays finite and accurate where erfc underflows (mpmath references)", () => {
    const reference: Array<[number, number]> = [
      [10, 0.05614099274382259],
      [30, 0.01879588886141675],
      [100, 0.005641613782989433],
      [1e4, 5.641895807268084e-5],
    ];
    for (const [x, v] of reference) expect(rel(erfcx(x), v), `erfcx(${x})`).toBeLessThan(1e-13);
  });
});

describe("logNormalCdf", () => {
  it("matches log Phi in the body and the far lower tail", () => {
    const reference: Array<[number, number]> = [
      [-100, -5005.524208694205],
      [-40, -804.6084420137538],
      [-30, -454.3212439563431],
      [-10, -53.23128515051246],
      [-3, -6.607726221510348],
      [-1, -1.8410216450092634],
      [0, -0.6931471805599453],
      [2, -0.02301290932896349],
      [8, -6.220960574271786e-16],
    ];
    for (const [z, v] of reference) expect(rel(logNormalCdf(z), v), `logPhi(${z})`).toBeLessThan(1e-12);
  });

  it("has the derivative phi / Phi, also where both underflow", () => {
    for (const z of [-3, -0.5, 0, 2]) expect(rel(logNormalCdfDerivative(z), normalPdf(z) / normalCdf(z))).toBeLessThan(1e-12);
    const h = 1e-5;
    for (const z of [-60, -20, -2]) {
      const fd = (logNormalCdf(z + h) - logNormalCdf(z - h)) / (2 * h);
      expect(rel(logNormalCdfDerivative(z), fd), `z=${z}`).toBeLessThan(1e-6);
    }
  });
});

describe("standardLogEI", () => {
  it("equals log(phi(z) + z Phi(z)) computed directly where that is stable", () => {
    for (let z = -5; z <= 6; z += 0.25) {
      const direct = Math.log(normalPdf(z) + z * normalCdf(z));
      expect(Math.abs(standardLogEI(z) - direct), `z=${z}`).toBeLessThan(1e-9);
    }
  });

  it("is accurate far in the tail, where the direct formula cancels and then gives log(0) (mpmath references)", () => {
    const reference: Array<[number, number, number]> = [
      [-20, -206.9178385094251, 20.099262811101283],
      [-30, -457.724653760598, 30.06644615416242],
      [-39, -768.7480296928501, 39.05118136576615],
      [-41, -848.8478636172404, 41.04869379201803],
      [-100, -5010.12957880025, 100.01999400419587],
      [-1000, -500014.73445209116, 1000.001999994],
      [-1e5, -5000000023.94479, 100000.00002],
    ];
    const d = new Float64Array(1);
    for (const [z, h, dh] of reference) {
      if (z <= -39) expect(Math.log(normalPdf(z) + z * normalCdf(z))).toBe(Number.NEGATIVE_INFINITY);
      expect(rel(standardLogEI(z, d), h), `h(${z})`).toBeLessThan(1e-11);
      expect(rel(d[0]!, dh), `h'(${z})`).toBeLessThan(1e-9);
    }
  });

  it("has a continuous derivative across its branches", () => {
    const d = new Float64Array(1);
    const step = 1e-6;
    for (const z of [-41, -40, -39.5, -1.0000001, -0.9999999, 0, 3]) {
      standardLogEI(z, d);
      const fd = (standardLogEI(z + step) - standardLogEI(z - step)) / (2 * step);
      expect(rel(d[0]!, fd), `z=${z}`).toBeLessThan(1e-5);
    }
  });
});
