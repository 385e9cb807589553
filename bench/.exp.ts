const STEPS = 32;
const INV_STEP = STEPS / Math.LN2;
const STEP = Math.LN2 / STEPS;
const TABLE = new Float64Array(Math.ceil(41 * INV_STEP) + 2);
for (let j = 0; j < TABLE.length; j++) TABLE[j] = Math.exp(-j * STEP);
function expNeg(x: number): number {
  const j = (0.5 - x * INV_STEP) | 0;
  const r = x + j * STEP;
  return TABLE[j]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r / 720))))));
}
let maxErr = 0;
for (let i = 0; i < 1e6; i++) { const x = -40 * Math.random(); const e = Math.abs(expNeg(x) / Math.exp(x) - 1); if (e > maxErr) maxErr = e; }
console.log("max rel err", maxErr);
function a(n: number) { let s = 0; for (let i = 0; i < n; i++) s += Math.exp(-(i % 4000) * 0.01); return s; }
function b(n: number) { let s = 0; for (let i = 0; i < n; i++) s += expNeg(-(i % 4000) * 0.01); return s; }
a(1e5); b(1e5);
let t = performance.now(); a(2e7); console.log("Math.exp", ((performance.now() - t) / 2e7 * 1e6).toFixed(2), "ns");
t = performance.now(); b(2e7); console.log("expNeg", ((performance.now() - t) / 2e7 * 1e6).toFixed(2), "ns");
const xs = new Float64Array(4096).map(() => -40 * Math.random());
function a2(reps: number) { let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i]!); return s; }
function b2(reps: number) { let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < xs.length; i++) s += expNeg(xs[i]!); return s; }
function c2(reps: number) { let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < xs.length; i++) s += xs[i]! * xs[i]!; return s; }
a2(50); b2(50); c2(50);
for (const [name, f] of [["Math.exp", a2], ["expNeg", b2], ["mul", c2]] as const) {
  const t = performance.now(); f(5000); console.log(name, ((performance.now() - t) / (5000 * 4096) * 1e6).toFixed(2), "ns");
}
