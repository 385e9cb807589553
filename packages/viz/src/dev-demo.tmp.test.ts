import { it } from "vitest";
import { createStudy, createLogger, RandomSampler } from "@shoal/core";
import { writeReport } from "./index.js";
import { statSync, readdirSync } from "node:fs";

it("dev demo", async () => {
  const n = Number(process.env.N ?? 100);
  const out = process.env.OUT ?? "/tmp/vizdev/out";
  const study = createStudy({ studyName: "synthetic", direction: "minimize", sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ sink: { write() {} } }) });
  for (let i = 0; i < n; i++) {
    const t = study.ask();
    const x = t.suggestFloat("x", -5, 5);
    const lr = t.suggestFloat("lr", 1e-5, 1e-1, { log: true });
    const opt = t.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
    const depth = t.suggestInt("depth", 1, 16);
    t.suggestFloat("unused", 0, 1);
    const v = (x - 1) ** 2 + (Math.log10(lr) + 3) ** 2 + (opt === "adam" ? 0 : 2) + depth * 0.05;
    for (let s = 0; s < 5; s++) t.report(v + 5 / (s + 1), s);
    if (i % 17 === 5) { study.tell(t, undefined, { state: "FAIL" }); continue; }
    if (i % 7 === 3) { study.tell(t, undefined, { state: "PRUNED" }); continue; }
    study.tell(t, v);
  }
  const t0 = performance.now();
  await writeReport(study, { outDir: out, png: process.env.PNG === "1" });
  console.log("report", (performance.now() - t0).toFixed(0), "ms");
  for (const f of readdirSync(out)) console.log(f, (statSync(out + "/" + f).size / 1e6).toFixed(2), "MB");
}, 120_000);
