// Outside a "type": "module" package, so Node and tsx load this .ts file as CommonJS; it is
// written as TypeScript's CommonJS module (`export =`).
import type { BaseTrial } from "@shoal/core";

function objective(trial: BaseTrial): number {
  const x: number = trial.suggestFloat("x", -10, 10);
  return (x - 2) ** 2;
}

export = { objective };
