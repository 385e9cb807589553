import { kernelBandwidths } from "../packages/core/src/samplers/tpe/bandwidth.js";
import { Rng } from "../packages/core/src/rng.js";
const n = 1000; const rng = new Rng(1);
const obs = new Float64Array(n).map(() => rng.uniform(-5, 5));
function time(label: string, reps: number, f: () => void) {
  for (let i = 0; i < 200; i++) f();
  const t = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(label, ((performance.now() - t) / reps * 1000).toFixed(1), "us");
}
const o = { multivariate: false, nDims: 1, considerEndpoints: false, considerMagicClip: true };
time("bandwidths", 5000, () => kernelBandwidths(obs, -5, 5, o));
time("bandwidths-mv", 5000, () => kernelBandwidths(obs, -5, 5, { ...o, multivariate: true }));
time("slice", 5000, () => obs.slice());
time("alloc", 5000, () => new Float64Array(n));
