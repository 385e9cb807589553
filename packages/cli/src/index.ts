/** The `shoal` command as a library: `main(argv)` returns the exit code. */
export { main } from "./main.js";
export { parseOptimizeArgs, runOptimize, type OptimizeCommand } from "./commands/optimize.js";
export { UsageError } from "./errors.js";
export { trialsToCsv } from "./output/trials-csv.js";
export { formatSummary } from "./output/summary.js";
