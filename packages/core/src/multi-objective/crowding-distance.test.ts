import { describe, expect, it } from "vitest";
import { crowdingDistances } from "./crowding-distance.js";

describe("crowding distance", () => {
  it("is infinite at each objective's extremes and the normalised neighbour gap inside", () => {
    // Front (0,4), (1,2), (3,1), (4,0): ranges 4 and 4.
    const d = crowdingDistances([[0, 4], [1, 2], [3, 1], [4, 0]]);
    expect(d[0]).toBe(Infinity);
    expect(d[3]).toBe(Infinity);
    expect(d[1]).toBeCloseTo((3 - 0) / 4 + (4 - 1) / 4);
    expect(d[2]).toBeCloseTo((4 - 1) / 4 + (2 - 0) / 4);
  });

  it("gives one or two points Infinity, and an objective without range nothing", () => {
    expect(crowdingDistances([])).toEqual([]);
    expect(crowdingDistances([[1, 1]])).toEqual([Infinity]);
    expect(crowdingDistances([[1, 1], [2, 0]])).toEqual([Infinity, Infinity]);
    const flat = crowdingDistances([[0, 5], [1, 5], [2, 5]]);
    expect(flat[1]).toBeCloseTo(2 / 2);
  });
});
