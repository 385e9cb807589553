import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../errors.js";
import { Rng } from "../../rng.js";
import { BLXAlphaCrossover, SBXCrossover, SPXCrossover, UNDXCrossover, UniformCrossover, type Crossover } from "./crossovers.js";

const bounds = [[0, 1], [-5, 5], [0, 10]] as const;
const ctx = { multiObjective: true };
const parentsOf = (rng: Rng, k: number) => Array.from({ length: k }, () => bounds.map(([lo, hi]) => rng.uniform(lo, hi)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("NSGA-II crossovers", () => {
  it("uniform takes each gene from one parent, the second with the swapping probability", () => {
    const rng = new Rng(1);
    const c = new UniformCrossover(0.25);
    let fromSecond = 0;
    for (let t = 0; t < 4000; t++) {
      const child = c.cross([[0, 0, 0], [1, 1, 1]], bounds, rng);
      for (const g of child) {
        expect([0, 1]).toContain(g);
        fromSecond += g;
      }
    }
    expect(fromSecond / 12_000).toBeCloseTo(0.25, 1);
  });

  it("BLX-alpha draws uniformly on the parents' interval widened by alpha on each side", () => {
    const rng = new Rng(2);
    const c = new BLXAlphaCrossover(0.5);
    const draws = Array.from({ length: 5000 }, () => c.cross([[2, 0, 0], [4, 0, 0]], bounds, rng)[0]!);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...draws)).toBeLessThan(5);
    expect(Math.min(...draws)).toBeLessThan(1.05);
    expect(Math.max(...draws)).toBeGreaterThan(4.95);
    expect(mean(draws)).toBeCloseTo(3, 1);
  });

  it("SBX never leaves the bounds, even for parents on them, and is centred on the parents", () => {
    const rng = new Rng(3);
    for (const eta of [undefined, 0.5, 2, 20]) {
      const c = new SBXCrossover({ eta });
      for (let t = 0; t < 2000; t++) {
        const parents = t % 3 === 0 ? [bounds.map(([lo]) => lo), bounds.map(([, hi]) => hi)] : parentsOf(rng, 2);
        const child = c.cross(parents, bounds, rng, ctx);
        child.forEach((g, i) => {
          expect(g).toBeGreaterThanOrEqual(bounds[i]![0] - 1e-9);
          expect(g).toBeLessThanOrEqual(bounds[i]![1] + 1e-9);
        });
      }
    }
    // With a large eta the children hug the parents.
    const tight = new SBXCrossover({ eta: 200, useChildGeneProb: 1 });
    const draws = Array.from({ length: 2000 }, () => tight.cross([[0.4, 0, 0], [0.6, 0, 0]], bounds, rng, ctx)[0]!);
    expect(draws.every((x) => Math.abs(x - 0.4) < 0.05 || Math.abs(x - 0.6) < 0.05)).toBe(true);
  });

  it("SPX stays in the parents' simplex expanded by epsilon: with epsilon 1, a convex combination", () => {
    const rng = new Rng(4);
    const c = new SPXCrossover(1);
    const parents = [[0, 0, 0], [1, 0, 0], [0, 1, 0]];
    for (let t = 0; t < 2000; t++) {
      const [x, y, z] = c.cross(parents, bounds, rng) as [number, number, number];
      expect(x).toBeGreaterThanOrEqual(-1e-12);
      expect(y).toBeGreaterThanOrEqual(-1e-12);
      expect(x + y).toBeLessThanOrEqual(1 + 1e-12);
      expect(z).toBe(0);
    }
  });

  it("UNDX is centred on the first two parents' midpoint and spreads across the line by the third's distance", () => {
    const rng = new Rng(5);
    const c = new UNDXCrossover(0.5, 0.2);
    const parents = [[0, 0, 0], [2, 0, 0], [1, 3, 0]];
    const children = Array.from({ length: 6000 }, () => c.cross(parents, bounds, rng));
    expect(mean(children.map((ch) => ch[0]!))).toBeCloseTo(1, 1);
    expect(mean(children.map((ch) => ch[1]!))).toBeCloseTo(0, 1);
    // Along the line: sd = sigmaXi * |p1 - p2| = 1; across it: sd = sigmaEta * 3 = 0.6 per axis.
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    expect(sd(children.map((ch) => ch[0]!))).toBeCloseTo(1, 1);
    expect(sd(children.map((ch) => ch[1]!))).toBeCloseTo(0.6, 1);
    expect(sd(children.map((ch) => ch[2]!))).toBeCloseTo(0.6, 1);
  });

  it("each is deterministic for a seed", () => {
    const all: Crossover[] = [new UniformCrossover(), new BLXAlphaCrossover(), new SBXCrossover(), new SPXCrossover(), new UNDXCrossover()];
    for (const c of all) {
      const run = () => {
        const rng = new Rng(9);
        return c.cross(parentsOf(rng, c.nParents), bounds, rng, ctx);
      };
      expect(run()).toEqual(run());
    }
  });

  it("refuses options out of range, naming the option and its range", () => {
    expect(() => new UniformCrossover(1.5)).toThrow(InvalidOptionError);
    expect(() => new UniformCrossover(1.5)).toThrow("swappingProb must be in [0, 1], got 1.5");
    expect(() => new SBXCrossover({ useChildGeneProb: 0 })).toThrow("useChildGeneProb must be in (0, 1], got 0");
    expect(() => new SBXCrossover({ eta: -1 })).toThrow("eta must be a finite number > 0, got -1");
    expect(() => new BLXAlphaCrossover(-0.1)).toThrow("alpha must be a finite number >= 0");
    expect(() => new UNDXCrossover(0)).toThrow("sigmaXi must be a finite number > 0");
  });
});
