import { Queue } from 'bullmq'; import { Redis } from 'ioredis'; import { spawn } from 'node:child_process';
const url = process.argv[2]; const N = Number(process.argv[3] ?? 6000); const prefix = 'wo' + Date.now();
const conn = new Redis(url, { maxRetriesPerRequest: null }); const admin = new Redis(url);
const q = new Queue('trials', { connection: conn, prefix });
const w = spawn(process.execPath, ['packages/cli/bin/shoal.js', 'worker', 'bench/fixtures/cluster-free.mjs', '--redis', url, '--prefix', prefix, '--concurrency', '2', '--log-format', 'json', ...(process.argv[4] ? ['--prefetch', process.argv[4]] : [])], { stdio: ['ignore', 'inherit', 'pipe'] });
await new Promise(r => w.stderr.on('data', d => { if (/worker_started/.test(String(d))) r(); }));
const dist = { x: { kind: 'float', low: -10, high: 10, step: null, log: false } };
const job = (study, i) => ({ name: 'trial', data: { v: 1, study, number: i, objective: null, params: { x: Math.random() * 20 - 10 }, distributions: dist, fixedParams: {}, seed: 0, direction: 'minimize' }, opts: { jobId: `${study}.${i}`, attempts: 1, removeOnComplete: { age: 86400 } } });
async function run(study, n) {
  const t0 = Date.now();
  for (let i = 0; i < n; i += 1000) await q.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, j) => job(study, i + j)));
  for (;;) { if (await admin.zcard(`${prefix}:trials:completed`) >= n + (study === 'warm' ? 0 : 1000)) break; await new Promise(r => setTimeout(r, 5)); }
  const last = await admin.zrange(`${prefix}:trials:completed`, -1, -1, 'WITHSCORES');
  return n / ((Number(last[1]) - t0) / 1000);
}
console.error('adding'); await run('warm', 1000); console.error('warm done');
console.log('shoal worker alone (jobs pre-added):', (await run('main', N)).toFixed(0), 'trials/s');
w.kill('SIGTERM'); await q.obliterate({ force: true }); process.exit(0);
