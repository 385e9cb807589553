import type { FrozenTrial } from "@shoal/core";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The trials as CSV with the columns of Optuna's `trials_dataframe()`: number, value (or, with
 * several objectives, `values_0`, `values_1`, ...), times,
 * duration (seconds), one `params_<name>` column per parameter, `user_attrs_<key>`, the worker
 * that ran each trial (`system_attrs_worker`, cluster studies only), state, and the failure reason.
 */
export function trialsToCsv(trials: readonly FrozenTrial[]): string {
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const attrNames = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs)))];
  const hasWorker = trials.some((t) => typeof t.systemAttrs.worker === "string");
  const nValues = Math.max(1, ...trials.map((t) => t.values?.length ?? 0));
  const valueColumns = nValues === 1 ? ["value"] : Array.from({ length: nValues }, (_, i) => `values_${i}`);
  const hasConstraints = trials.some((t) => Array.isArray(t.systemAttrs.constraints));
  const header = [
    "number",
    ...valueColumns,
    "datetime_start",
    "datetime_complete",
    "duration",
    ...paramNames.map((p) => `params_${p}`),
    ...attrNames.map((a) => `user_attrs_${a}`),
    ...(hasWorker ? ["system_attrs_worker"] : []),
    ...(hasConstraints ? ["system_attrs_constraints"] : []),
    "state",
    "fail_reason",
  ];
  const rows = trials.map((t) => [
    t.number,
    ...(nValues === 1 ? [t.value] : Array.from({ length: nValues }, (_, i) => t.values?.[i])),
    t.datetimeStart?.toISOString(),
    t.datetimeComplete?.toISOString(),
    t.duration === null ? null : t.duration / 1000,
    ...paramNames.map((p) => t.params[p]),
    ...attrNames.map((a) => t.userAttrs[a]),
    ...(hasWorker ? [t.systemAttrs.worker] : []),
    ...(hasConstraints ? [t.systemAttrs.constraints] : []),
    t.state,
    t.systemAttrs.failReason,
  ]);
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\n") + "\n";
}
