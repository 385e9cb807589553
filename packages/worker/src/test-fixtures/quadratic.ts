import type { BaseTrial } from "@shoal/core";

interface Point {
  x: number;
  y: number;
}

export function objective(trial: BaseTrial): number {
  const p: Point = { x: trial.suggestFloat("x", -10, 10), y: trial.suggestInt("y", -5, 5) };
  return (p.x - 2) ** 2 + p.y ** 2;
}
