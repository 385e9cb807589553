import { describe, expect, it } from "vitest";
import { floatDistribution, intDistribution } from "./distributions.js";
import { pyFloat, pyParams } from "./python-repr.js";

describe("Python-style repr", () => {
  it("prints floats as Python does", () => {
    expect(pyFloat(6.5)).toBe("6.5");
    expect(pyFloat(6)).toBe("6.0");
    expect(pyFloat(0.8666666666666667)).toBe("0.8666666666666667");
    expect(pyFloat(1e-5)).toBe("1e-05");
    expect(pyFloat(0.0001)).toBe("0.0001");
    expect(pyFloat(1.5e16)).toBe("1.5e+16");
    expect(pyFloat(Number.NaN)).toBe("nan");
    expect(pyFloat(-Infinity)).toBe("-inf");
  });

  it("prints params as a Python dict, ints without a decimal point", () => {
    const params = { n_estimators: 65, min_samples_split: 0.5, act: "relu", flag: true, none: null, lr: 1 };
    const dists = {
      n_estimators: intDistribution("n_estimators", 10, 100),
      min_samples_split: floatDistribution("min_samples_split", 0.1, 1),
      lr: floatDistribution("lr", 0.1, 1),
    };
    expect(pyParams(params, dists)).toBe(
      "{'n_estimators': 65, 'min_samples_split': 0.5, 'act': 'relu', 'flag': True, 'none': None, 'lr': 1.0}",
    );
  });
});
