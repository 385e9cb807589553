import { createLogger, TrialState } from "@shoal/core";
import { createStudy, listWorkers, type RedisStorage } from "@shoal/redis";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

interface StatusJson {
  studyName: string;
  direction: string;
  objective: string | null;
  counts: Record<string, number>;
  queue: { name: string; waiting: number; active: number; delayed: number; failed: number; completed: number };
  running: Array<{ number: number; worker: string | null; since: string | null; params: Record<string, unknown> }>;
  best: { number: number; value: number; params: Record<string, number> } | null;
  coordinator: { holder: string; ttlMs: number } | null;
  workers: Array<{ id: string; state: string; slots: number; free: number }>;
}

describe("shoal status, trials and studies", () => {
  it("show a study's queue, running trials and their workers, best trial, trials and studies", async () => {
    const c = await env.cluster();
    // Trials 0-2 are quick, so the study has a best trial; from trial 3 on they take minutes, so
    // the cluster holds still while we look at it.
    const slow = { SHOAL_TEST_SLEEP_MS: "120000", SHOAL_TEST_SLEEP_FROM: "3" };
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, env: slow })));
    // TPE, a sampler that learns from results, so the coordinator queues trials only a little ahead.
    const coordinator = c.startCoordinator({ study: "watched", trials: 10, args: ["--sampler", "tpe"] });
    const done = await c.waitFor("3 complete trials", async () => {
      const complete = (await c.trials("watched")).filter((t) => t.state === TrialState.COMPLETE);
      return complete.length === 3 ? complete : null;
    });
    const best = done.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));

    // Wait for a trial running on each worker, both announced busy, and the queue topped up,
    // unchanged for 2 s (workers announce every 1 s, the coordinator reads them every 0.5 s).
    let last = { key: "", since: Date.now() };
    await c.waitFor("a trial running on each worker, one queued, and the queue settled", async () => {
      const running = (await c.trials("watched")).filter((t) => t.state === TrialState.RUNNING);
      const workers = running.map((t) => t.systemAttrs.worker).sort();
      const counts = await c.queue().getJobCounts("waiting", "active");
      const busy = (await listWorkers(c.redis, c.keys)).every((w) => w.free === 0);
      const ready = workers.includes("a") && workers.includes("b") && counts.active === 2 && (counts.waiting ?? 0) >= 1 && busy;
      const key = `${running.map((t) => t.number).join()}|${counts.waiting}|${counts.active}`;
      if (key !== last.key) last = { key, since: Date.now() };
      return ready && Date.now() - last.since >= 2000;
    });

    // The cluster holds still now: read it every way at once.
    const [json, text, table, csv, trialsJson] = await Promise.all([
      c.shoal(["status", ...c.target, "--study", "watched", "--format", "json"]),
      c.shoal(["status", ...c.target, "--study", "watched"]),
      c.shoal(["trials", ...c.target, "--study", "watched"]),
      c.shoal(["trials", ...c.target, "--study", "watched", "--format", "csv"]),
      c.shoal(["trials", ...c.target, "--study", "watched", "--format", "json"]),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout) as StatusJson;
    expect(s.studyName).toBe("watched");
    expect(s.direction).toBe("minimize");
    expect(s.objective).toMatch(/^quadratic\.mjs@[0-9a-f]{10}$/);
    expect(s.counts.COMPLETE).toBe(3);
    expect(s.queue.name).toBe("trials");
    expect(s.queue.active).toBe(2);
    expect(s.queue.waiting).toBeGreaterThanOrEqual(1);
    expect(s.queue.completed).toBe(3);
    const started = s.running.filter((r) => r.worker !== null);
    expect(started.map((r) => r.worker).sort()).toEqual(["a", "b"]);
    // Each running trial shows the params its job carries: none for those enqueued before any
    // trial finished (the worker samples them, define-by-run), x and y for the later ones.
    const paramNames = s.running.map((r) => Object.keys(r.params).sort().join());
    expect(paramNames.every((p) => p === "" || p === "x,y")).toBe(true);
    expect(paramNames).toContain("x,y");
    expect(started.every((r) => r.since !== null)).toBe(true);
    expect(s.running.length).toBe(2 + s.queue.waiting);
    expect(s.best).toMatchObject({ number: best.number, value: best.value, params: best.params });
    expect(s.coordinator?.holder).toMatch(new RegExp(`:${coordinator.pid}:`));
    expect(s.workers.map((w) => [w.id, w.state, w.slots, w.free])).toEqual([["a", "running", 1, 0], ["b", "running", 1, 0]]);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Study watched (minimize), objective ${s.objective}`);
    expect(text.stdout).toMatch(new RegExp(`Coordinator: \\S+:${coordinator.pid}:\\S+ \\(lease \\d+\\.\\d s\\)`));
    expect(text.stdout).toMatch(/Trials: \d+ \(3 complete, 0 pruned, 0 failed, \d+ running, 0 waiting\)/);
    expect(text.stdout).toMatch(/Queue "trials": [1-9]\d* waiting, 2 active, 0 delayed, 0 failed, 3 completed/);
    expect(text.stdout).toContain(`Best: trial ${best.number} with value `);
    expect(text.stdout).toMatch(new RegExp(`Running trials \\(${s.running.length}\\):`));
    const params = (r: StatusJson["running"][number]) => (Object.keys(r.params).length === 0 ? "\\{\\}" : "\\{'x': \\S+, 'y': \\S+\\}");
    for (const r of started) expect(text.stdout).toMatch(new RegExp(`\n  #${r.number}  ${r.worker}  \\d+\\.\\d s  ${params(r)}\n`));
    for (const r of s.running.filter((q) => q.worker === null)) {
      expect(text.stdout).toMatch(new RegExp(`\n  #${r.number}  \\(not started\\)  queued  ${params(r)}\n`));
    }
    expect(text.stdout).toMatch(/Workers \(2\):\n  a  running  1\/1 busy  pid \d+  quadratic\.mjs@\w+\n  b  running  1\/1 busy/);

    // shoal trials, in each format.
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^number\s+state\s+value\s+duration\s+worker\s+params$/);
    expect(rows[1]).toMatch(/^0\s+COMPLETE\s+[\d.]+\s+[\d.]+s\s+[ab]\s+\{'x': /);
    expect(rows.slice(1).filter((r) => /^\d+\s+RUNNING\s/.test(r)).length).toBe(s.running.length);

    const lines = csv.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("number,value,datetime_start,datetime_complete,duration,params_x,params_y,system_attrs_worker,state,fail_reason");
    expect(lines[1]).toMatch(new RegExp(`^0,${done[0]!.value},[^,]+,[^,]+,[\\d.]+,${done[0]!.params.x},${done[0]!.params.y},[ab],COMPLETE,$`));
    for (const r of started) expect(lines[1 + r.number]).toMatch(new RegExp(`^${r.number},,[^,]+,,,.*,${r.worker},RUNNING,$`));
    expect(lines).toHaveLength(1 + 3 + s.running.length);

    const listed = JSON.parse(trialsJson.stdout) as Array<{ number: number; state: string; value: number | null; systemAttrs: { worker?: string } }>;
    expect(listed.slice(0, 3)).toEqual(done.map((t) => expect.objectContaining({ number: t.number, state: "COMPLETE", value: t.value })));
    expect(listed.filter((t) => t.state === "RUNNING" && t.systemAttrs.worker).map((t) => t.systemAttrs.worker).sort()).toEqual(["a", "b"]);

    // shoal studies: this study beside another, made with the library.
    const other = await createStudy({ storage: c.url, prefix: c.prefix, studyName: "other", direction: "maximize", logger: createLogger({ level: "silent" }) });
    await (other.storage as RedisStorage).close();
    const [studies, studiesTable, missing] = await Promise.all([
      c.shoal(["studies", ...c.target, "--format", "json"]),
      c.shoal(["studies", ...c.target]),
      c.shoal(["status", ...c.target, "--study", "nope"]),
    ]);
    expect(studies.code, studies.stderr).toBe(0);
    expect(JSON.parse(studies.stdout)).toEqual([
      expect.objectContaining({ name: "other", direction: "maximize", trials: 0, running: 0, bestTrial: null, bestValue: null }),
      expect.objectContaining({ name: "watched", direction: "minimize", trials: s.running.length + 3, running: s.running.length, bestTrial: best.number, bestValue: best.value }),
    ]);
    expect(studiesTable.stdout).toMatch(/^study\s+direction\s+trials\s+running\s+best value\s+best trial\s+created\n/);
    expect(studiesTable.stdout).toMatch(new RegExp(`\\nwatched\\s+minimize\\s+${s.running.length + 3}\\s+${s.running.length}\\s+[\\d.]+\\s+${best.number}\\s+\\d{4}-`));

    // A study that does not exist: a clear error.
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No study named "nope" under the prefix "${c.prefix}"`);
    await c.stopWorkers();
  });
});
