import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { startTestRedis, type TestRedis, type TestRedisOptions } from "./redis-server.js";

/** A test file's Redis, from useTestRedis: usable inside its tests and hooks. */
export interface TestRedisHandle {
  /** The server (its url, its prefix, stop and restart). */
  readonly server: TestRedis;
  readonly url: string;
  /** A key prefix no other test file uses. */
  readonly prefix: string;
  /** A client, closed after the file's tests. */
  readonly redis: Redis;
  /** Another client (BullMQ wants its own, with `maxRetriesPerRequest: null`), closed after the file's tests. */
  connect(options?: RedisOptions): Redis;
}

/**
 * One Redis for a test file (see startTestRedis): started before its tests, stopped after them,
 * with a client and every client made by `connect` closed.
 */
export function useTestRedis(options: TestRedisOptions = {}): TestRedisHandle {
  let server: TestRedis | null = null;
  let client: Redis | null = null;
  const clients: Redis[] = [];
  const started = (): TestRedis => {
    if (!server) throw new Error("useTestRedis(): its Redis is there only inside tests and hooks");
    return server;
  };
  beforeAll(async () => {
    server = await startTestRedis(options);
    client = new Redis(server.url);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    client?.disconnect();
    await server?.stop();
  });
  return {
    get server() {
      return started();
    },
    get url() {
      return started().url;
    },
    get prefix() {
      return started().prefix;
    },
    get redis() {
      started();
      return client as Redis;
    },
    connect(connectOptions = {}) {
      const c = new Redis(started().url, connectOptions);
      clients.push(c);
      return c;
    },
  };
}
