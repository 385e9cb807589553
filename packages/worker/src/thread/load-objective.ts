import type { BaseTrial } from "@shoal/core";
import { serializeThrown } from "./error-transport.js";

/** What an objective module provides. */
export type ObjectiveFunction = (trial: BaseTrial) => unknown;

/** The objective function, or why the module cannot provide one (for ObjectiveLoadError). */
export type LoadedObjective = { ok: true; objective: ObjectiveFunction } | { ok: false; reason: string };

/** Imports the module and finds its `objective` export, or a default export that is a function. */
export async function loadObjective(url: string): Promise<LoadedObjective> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const { name, message } = serializeThrown(error);
    return { ok: false, reason: `importing it threw ${name}: ${message}` };
  }
  const objective = findObjective(module);
  if (objective) return { ok: true, objective };
  return { ok: false, reason: `it exports no \`objective\` function (${describeExports(module)})` };
}

function findObjective(module: Record<string, unknown>): ObjectiveFunction | null {
  if (typeof module.objective === "function") return module.objective as ObjectiveFunction;
  const fallback = module.default;
  if (typeof fallback === "function") return fallback as ObjectiveFunction;
  // A CommonJS module (a .ts file compiled as CommonJS outside a "type": "module" package,
  // say) may surface its exports only as the default export's properties.
  if (typeof fallback === "object" && fallback !== null) {
    const nested = (fallback as Record<string, unknown>).objective;
    if (typeof nested === "function") return nested as ObjectiveFunction;
  }
  return null;
}

function describeExports(module: Record<string, unknown>): string {
  const names = Object.keys(module).map((name) => `${name}: ${typeof module[name]}`);
  return names.length === 0 ? "it exports nothing" : `its exports: ${names.join(", ")}`;
}
