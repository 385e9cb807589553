import { createLogger, createStudy, optunaTPEDefaults, TPESampler } from "@shoal/core";
const mv = process.argv[2] === "mv";
const study = createStudy({ sampler: new TPESampler({ ...optunaTPEDefaults, multivariate: mv, seed: 0 }), logger: createLogger({ level: "silent" }) });
const t0 = performance.now(); const c0 = process.cpuUsage();
for (let k = 0; k < 1000; k++) {
  const t = study.ask();
  let s = 0;
  for (let i = 0; i < 5; i++) { const x = t.suggestFloat(`x${i}`, -5, 5); s += x * x; }
  study.tell(t, s);
}
console.log(mv ? "mv" : "uni", "wall", ((performance.now() - t0) / 1000).toFixed(3), "cpu", (process.cpuUsage(c0).user / 1e6).toFixed(3), study.bestValue);
