import { TrialPruned, type BaseTrial } from "@shoal/core";

// Reports a falling curve from x**2 + 10; a bad x is pruned at its first step.
export function objective(trial: BaseTrial): number {
  const x = trial.suggestFloat("x", -10, 10);
  let value = Number.NaN;
  for (let step = 0; step < 5; step++) {
    value = x ** 2 + 10 - step;
    trial.report(value, step);
    if (trial.shouldPrune()) throw new TrialPruned(`pruned at step ${step}`);
  }
  return value;
}
