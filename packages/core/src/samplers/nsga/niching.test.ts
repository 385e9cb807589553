import { describe, expect, it } from "vitest";
import { Rng } from "../../rng.js";
import { associateWithReferences, normalizeLosses, selectByNiche } from "./niching.js";
import { dasDennisPoints } from "./reference-points.js";

describe("NSGA-III's reference points", () => {
  it("are every multiple of 1/p on the unit simplex", () => {
    expect(dasDennisPoints(2, 2)).toEqual([[1, 0], [0.5, 0.5], [0, 1]]);
    const points = dasDennisPoints(3, 3);
    expect(points).toHaveLength(10); // C(5, 3)
    for (const p of points) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(new Set(points.map((p) => p.join(","))).size).toBe(10);
    expect(dasDennisPoints(5, 3)).toHaveLength(35); // C(7, 3)
    expect(() => dasDennisPoints(3, 0)).toThrow("dividingParameter");
  });
});

describe("NSGA-III's niching", () => {
  it("normalises a linear front onto the unit simplex", () => {
    // Front x/4 + y/2 = 1 shifted by (10, 20): ideal (10, 20), intercepts 4 and 2.
    const losses = [[10, 22], [12, 21], [14, 20]];
    const normalised = normalizeLosses(losses);
    for (const p of normalised) expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
    expect(normalised[1]![0]).toBeCloseTo(0.5, 6);
  });

  it("falls back to each objective's maximum when the extreme points are degenerate", () => {
    const normalised = normalizeLosses([[1, 1], [1, 1], [3, 5]]);
    expect(normalised[2]).toEqual([1, 1]);
  });

  it("associates each point with its nearest reference line", () => {
    const { reference, distance } = associateWithReferences([[1, 0.1], [0.5, 0.5], [0, 2]], [[1, 0], [0.5, 0.5], [0, 1]]);
    expect(reference).toEqual([0, 1, 2]);
    expect(distance[0]).toBeCloseTo(0.1, 12);
    expect(distance[1]).toBeCloseTo(0, 12);
  });

  it("fills the emptiest niches first, nearest member first", () => {
    const references = dasDennisPoints(2, 2); // lines along (1,0), (1,1), (0,1)
    // Elite: two points near the (1,0) line. Front: one near each line, one more near (1,0).
    const elite = [[1, 0.02], [0.9, 0.03]];
    const front = [[0.95, 0.01], [0.5, 0.52], [0.02, 1], [0.03, 0.9]];
    const picks = selectByNiche(2, elite.length, [...elite, ...front], references, new Rng(1));
    expect(picks.sort()).toEqual([1, 2]);
    // Three picks: the (0,1) niche already holds a pick, (1,1) too: the third comes from a niche of one.
    const three = selectByNiche(3, elite.length, [...elite, ...front], references, new Rng(1));
    expect(new Set(three).size).toBe(3);
    expect(three).toEqual(expect.arrayContaining([1, 2]));
  });

  it("refuses to pick more than the front holds", () => {
    expect(() => selectByNiche(3, 0, [[0, 1], [1, 0]], dasDennisPoints(2, 2), new Rng(1))).toThrow("3 wanted from a front of 2");
  });
});
