import { Redis } from 'ioredis'; import { createHash } from 'node:crypto'; import { createRequire } from 'node:module';
const require = createRequire(import.meta.url); const scripts = require('bullmq/dist/cjs/scripts/index.js');
const names = new Map(Object.values(scripts).map(s => [createHash('sha1').update(s.content).digest('hex'), s.name]));
const r = new Redis('redis://127.0.0.1:6391');
const log = await r.slowlog('GET', 100000);
const agg = new Map();
for (const [, , us, args] of log) { let k = String(args[0]).toLowerCase(); if (k === 'evalsha') k += ':' + (names.get(String(args[1])) ?? args[1]); const a = agg.get(k) ?? [0, 0]; a[0]++; a[1] += us; agg.set(k, a); }
for (const [k, [n, us]] of [...agg].sort((a, b) => b[1][1] - a[1][1]).slice(0, 25)) console.log(k.padEnd(40), String(n).padStart(6), (us / n).toFixed(1).padStart(7), 'µs', us);
r.disconnect();
