import { Redis } from 'ioredis';
const r = new Redis('redis://127.0.0.1:6391'); const study = process.argv[2] ?? 's1'; const n = Number(process.argv[3] ?? 4000);
const p = r.pipeline(); for (let i = 0; i < n; i++) p.hmget(`shoal:trials:${study}.${i}`, 'timestamp', 'processedOn', 'finishedOn', 'returnvalue');
const rows = (await p.exec()).map(([, v]) => v).map(([t, s, f, rv]) => { const j = JSON.parse(rv); return { t: +t, s: +s, f: +f, ds: Date.parse(j.datetimeStart), dc: Date.parse(j.datetimeComplete) }; });
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length; const q = (a, k) => { const b = [...a].sort((x, y) => x - y); return b[Math.floor(k * (b.length - 1))]; };
const steady = rows.slice(500, n - 200);
for (const [name, f] of [['queued (start-added)', (x) => x.s - x.t], ['pickup->threadstart', (x) => x.ds - x.s], ['thread run', (x) => x.dc - x.ds], ['threadend->finished', (x) => x.f - x.dc], ['active total', (x) => x.f - x.s]]) { const a = steady.map(f); console.log(name.padEnd(24), 'mean', mean(a).toFixed(3), 'p50', q(a, .5), 'p90', q(a, .9)); }
// completions per ms and added timing
const fin = steady.map(x => x.f).sort((a,b)=>a-b); console.log('steady rate', ((fin.length-1)/(fin.at(-1)-fin[0])*1000).toFixed(0));
r.disconnect();
