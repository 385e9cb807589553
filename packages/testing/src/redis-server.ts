import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

/** A Redis for tests: a URL, a key prefix of its own, and (when spawned here) stop/restart. */
export interface TestRedis {
  url: string;
  /** A prefix no other test uses, so tests can share one server. */
  prefix: string;
  /** Whether this test owns the server (and so may restart it). */
  owned: boolean;
  /** Stops the server (owned) or deletes the prefix's keys (shared). */
  stop(): Promise<void>;
  /**
   * Kills the server and starts it again on the same port and data dir. Owned only. With AOF on
   * (the default) it comes back with its data; spawned with `persistence: "none"`, empty.
   */
  restart(downMs?: number): Promise<void>;
  /**
   * Kills the server and leaves it down, its data dir kept, until up() starts it again on the same
   * port (with its data under AOF). Spawned servers only: for a test of what runs while Redis is
   * down for as long as the test needs, not for a fixed time.
   */
  down(): Promise<void>;
  /** Starts again a server that down() stopped (nothing when it is up); resolves once it answers. */
  up(): Promise<void>;
}

/** Options of startTestRedis. */
export interface TestRedisOptions {
  /** A server of this test's own (spawned), which it may restart. */
  own?: boolean;
  /**
   * A spawned server's persistence: `"aof"` (default: AOF, fsync always) keeps everything
   * acknowledged across a restart; `"none"` (`--appendonly no --save ""`, what a Redis without
   * persistence does) comes back empty from a restart. Applies to spawned servers only.
   */
  persistence?: "aof" | "none";
  /**
   * A spawned server of the test's own that requires this password (`--requirepass`); its `url`
   * carries it (`redis://:<password>@127.0.0.1:<port>`).
   */
  password?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPong(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined); // refused while the server starts: connect() rejects, that is enough
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis at ${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { existsSync } = await import("node:fs");
    if (!existsSync("/var/run/docker.sock") && !process.env.DOCKER_HOST) return false;
    const res = await new Promise<boolean>((resolve) => {
      const child = spawn("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore" });
      child.on("error", () => resolve(false));
      child.on("close", (code) => resolve(code === 0));
    });
    return res;
  } catch {
    return false;
  }
}

/**
 * A Redis for a test: REDIS_URL when set (with a fresh prefix), else a container when a Docker
 * engine answers, else a `redis-server` spawned on a free port with AOF on, or none (`persistence`;
 * `restart` works there).
 */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const prefix = `shoaltest-${randomUUID().slice(0, 8)}`;
  // A password needs a server started with it: spawned here.
  if (options.password !== undefined) return spawnRedisServer(prefix, options.persistence ?? "aof", options.password);
  if (process.env.REDIS_URL && !options.own) {
    const url = process.env.REDIS_URL;
    return {
      url,
      prefix,
      owned: false,
      async stop() {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        const keys = await client.keys(`${prefix}:*`);
        if (keys.length > 0) await client.del(...keys);
        client.disconnect();
      },
      async restart() {
        throw new Error("restart needs a Redis this test owns: start it with { own: true }");
      },
      async down() {
        throw new Error("down needs a Redis this test owns: start it with { own: true }");
      },
      async up() {
        throw new Error("up needs a Redis this test owns: start it with { own: true }");
      },
    };
  }
  if (!options.own && (await dockerAnswers())) {
    const { RedisContainer } = (await import("@testcontainers/redis")) as typeof import("@testcontainers/redis");
    const container = await new RedisContainer("redis:7-alpine").start();
    const url = container.getConnectionUrl();
    return {
      url,
      prefix,
      owned: true,
      async stop() {
        await container.stop();
      },
      async restart() {
        await container.restart();
      },
      async down() {
        throw new Error("down needs a spawned redis-server (no Docker engine, or REDIS_URL unset)");
      },
      async up() {
        throw new Error("up needs a spawned redis-server (no Docker engine, or REDIS_URL unset)");
      },
    };
  }
  return spawnRedisServer(prefix, options.persistence ?? "aof");
}

async function spawnRedisServer(prefix: string, persistence: "aof" | "none", password?: string): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), "shoal-redis-"));
  const url = password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
        ...(persistence === "aof" ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
        "--maxmemory-policy", "noeviction", "--protected-mode", "no",
        ...(password === undefined ? [] : ["--requirepass", password])],
      { stdio: "ignore" },
    );
    await waitForPong(url);
  };
  const kill = async () => {
    const c = child;
    // Killed by a signal, a child has no exit code but a signal code.
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
  };
  await start();
  return {
    url,
    prefix,
    owned: true,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    async restart(downMs = 500) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    down: kill,
    async up() {
      const c = child as ChildProcess | null;
      if (c && c.exitCode === null && c.signalCode === null) return; // up already
      await start();
    },
  };
}
