import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { TrialState } from "@shoal/core";
import { repoRoot } from "@shoal/testing";
import { Cluster, useCluster } from "@shoal/testing/cluster";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The README's cluster block, run as written: its `export`, its three background workers, its
 * `shoal optimize` and its `shoal status`, each line through bash as a user would paste it, with
 * only the Redis address changed to this file's own redis-server. (`npm ci` is skipped: the test
 * runs in a built checkout.) Issue 11: with an objective module given, `optimize` used to ignore
 * $SHOAL_REDIS_URL and run the study in memory while the workers waited idle.
 */
const README_URL = "redis://127.0.0.1:6379";

/** The fenced bash block of the README's cluster section: the one that exports SHOAL_REDIS_URL. */
function readmeClusterBlock(): string[] {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const block = blocks.find((b) => b.includes("export SHOAL_REDIS_URL="));
  if (block === undefined) throw new Error("README.md has no bash block that exports SHOAL_REDIS_URL");
  return block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l !== "");
}

/** One line of the block, run through bash in a process group of its own so that every process under it can be killed. */
class ShellLine {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(
    readonly line: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn("bash", ["-c", `exec ${line}`], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.child.stdout?.on("data", (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on("data", (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILLs the line's whole process group (npx, and the node process it started). */
  kill(): void {
    try {
      process.kill(-(this.child.pid as number), "SIGKILL");
    } catch {
      // the group is gone already
    }
  }
}

const env = useCluster();
const started: ShellLine[] = [];

afterEach(async () => {
  for (const p of started.splice(0)) {
    p.kill();
    if (p.running) await p.exited;
  }
});

describe("the README's cluster block", () => {
  it("runs the study on the workers it starts, as written", async () => {
    const lines = readmeClusterBlock();
    const server = env.server();
    const port = new URL(server.url).port;
    const shellEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0" };
    // The test runner's own Redis variables must not leak into the block's commands.
    delete shellEnv.SHOAL_REDIS_URL;
    delete shellEnv.REDIS_URL;
    const workers: ShellLine[] = [];
    let coordinator: ShellLine | null = null;
    let status: ShellLine | null = null;

    for (const raw of lines) {
      const line = raw.replaceAll(README_URL, server.url);
      if (line === "npm ci") continue;
      const exported = /^export (\w+)=(\S+)$/.exec(line);
      if (exported) {
        shellEnv[exported[1] as string] = exported[2];
        continue;
      }
      if (line.endsWith("&")) {
        const w = new ShellLine(line.slice(0, -1).trim(), shellEnv);
        started.push(w);
        workers.push(w);
        continue;
      }
      const p = new ShellLine(line, shellEnv);
      started.push(p);
      const code = await p.exited;
      const context = `${line}\n${p.output}\n${workers.map((w) => w.output).join("\n")}`;
      expect(code, context).toBe(0);
      if (/ shoal optimize /.test(` ${line} `)) coordinator = p;
      if (/ shoal status /.test(` ${line} `)) status = p;
    }

    expect(shellEnv.SHOAL_REDIS_URL, "the block exports SHOAL_REDIS_URL with the README's address").toBe(server.url);
    expect(workers).toHaveLength(3);
    expect(coordinator, "the block runs shoal optimize").not.toBeNull();
    expect(status, "the block runs shoal status").not.toBeNull();
    const coordinatorLog = (coordinator as ShellLine).output;
    expect(coordinatorLog).toContain(`on the cluster at redis://127.0.0.1:${port} (from $SHOAL_REDIS_URL), prefix "shoal", queue "trials"`);
    expect(coordinatorLog).not.toContain("in memory");
    expect((status as ShellLine).output).toMatch(/Trials: 100 \(100 complete, 0 pruned, 0 failed, 0 running, 0 waiting\)/);

    // Every trial was run by one of the block's three workers, read from Redis.
    const ids = workers.map((w) => /Worker (\S+) started/.exec(w.output)?.[1]);
    expect(ids.every((id) => id !== undefined), workers.map((w) => w.output).join("\n")).toBe(true);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      const cluster = new Cluster(server, redis, "shoal");
      const trials = await cluster.expectExactBudget("iris", 100);
      expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
      const ranBy = new Set(trials.map((t) => t.systemAttrs.worker));
      expect([...ranBy].every((w) => ids.includes(w as string)), `trials ran by ${[...ranBy].join(", ")}`).toBe(true);
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
