import { floatDistribution, type Distribution, type FrozenTrial, type ParamValue, type StudyDirection } from "@shoal/core";
import { StudySnapshot } from "../study-snapshot.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");

/** A finished trial with sensible defaults: COMPLETE, started at T0 + number seconds, 500 ms long. */
export function trial(
  number: number,
  fields: Partial<Omit<FrozenTrial, "params" | "distributions">> & {
    params?: Record<string, ParamValue>;
    distributions?: Record<string, Distribution>;
  } = {},
): FrozenTrial {
  const params = fields.params ?? {};
  const distributions = fields.distributions ?? Object.fromEntries(Object.keys(params).map((k) => [k, floatDistribution(k, -100, 100)]));
  const start = new Date(T0 + number * 1000);
  return {
    trialId: number,
    number,
    state: "COMPLETE",
    value: null,
    userAttrs: {},
    systemAttrs: {},
    intermediateValues: {},
    datetimeStart: start,
    datetimeComplete: new Date(start.getTime() + 500),
    duration: 500,
    ...fields,
    values: fields.values !== undefined ? fields.values : fields.value === undefined || fields.value === null ? null : [fields.value],
    params,
    distributions,
  };
}

/** A study view over the given trials; an array of directions makes it a multi-objective study. */
export function snapshot(trials: FrozenTrial[], direction: StudyDirection | readonly StudyDirection[] = "minimize", name = "test-study"): StudySnapshot {
  return new StudySnapshot(name, direction, trials);
}
