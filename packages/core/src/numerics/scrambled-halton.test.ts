import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { firstPrimes, scrambledHalton } from "./scrambled-halton.js";

describe("scrambledHalton", () => {
  it("fills [0, 1)^dim evenly: every cell of a coarse grid per dimension gets its share", () => {
    const count = 1024;
    const dim = 8;
    const points = scrambledHalton(count, dim, new Rng(1));
    for (let d = 0; d < dim; d++) {
      const cells = new Array<number>(16).fill(0);
      for (let i = 0; i < count; i++) {
        const v = points[i * dim + d]!;
        expect(v >= 0 && v < 1).toBe(true);
        cells[Math.floor(v * 16)]!++;
      }
      // Low discrepancy: far tighter than the ~ +-8 of random points.
      for (const c of cells) expect(Math.abs(c - 64), `dim ${d}`).toBeLessThanOrEqual(3);
    }
  });

  it("is reproducible from the rng and differs between seeds", () => {
    expect(scrambledHalton(10, 3, new Rng(2))).toEqual(scrambledHalton(10, 3, new Rng(2)));
    expect(scrambledHalton(10, 3, new Rng(2))).not.toEqual(scrambledHalton(10, 3, new Rng(3)));
  });

  it("uses the primes as bases", () => {
    expect(firstPrimes(6)).toEqual([2, 3, 5, 7, 11, 13]);
  });
});
