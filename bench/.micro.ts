import { ParzenEstimator } from "../packages/core/src/samplers/tpe/parzen-estimator.js";
import { kernelBandwidths } from "../packages/core/src/samplers/tpe/bandwidth.js";
import { toDimension } from "../packages/core/src/samplers/tpe/param-transform.js";
import { defaultWeights } from "../packages/core/src/samplers/tpe/gamma-and-weights.js";
import { Rng } from "../packages/core/src/rng.js";
const dim = toDimension({ kind: "float", low: -5, high: 5, step: null, log: false });
const n = 1000;
const rng = new Rng(1);
const obs = new Float64Array(n).map(() => rng.uniform(-5, 5));
const params = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false };
function time(label: string, reps: number, f: () => void) {
  for (let i = 0; i < 50; i++) f();
  const t = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(label, ((performance.now() - t) / reps * 1000).toFixed(1), "us");
}
time("bandwidths", 2000, () => kernelBandwidths(obs, -5, 5, { ...params, nDims: 1 }));
time("sort", 2000, () => obs.slice().sort());
time("weights", 2000, () => defaultWeights(n));
let est!: ParzenEstimator;
time("construct", 2000, () => { est = new ParzenEstimator([dim], [obs], defaultWeights(n), params); });
const cands = new Float64Array(24).map(() => rng.uniform(-5, 5));
const out = new Float64Array(24);
time("logPdf24", 2000, () => est.logPdf(cands, 24, out));
time("sample24", 2000, () => est.sample(rng, 24));
