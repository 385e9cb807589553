/**
 * @shoal/testing: what Shoal's tests and benchmarks share. This entry depends on no @shoal
 * package, so any package's own unit tests may use it: a Redis for a test, polling, the fixtures.
 * The `shoal` command runner is "@shoal/testing/cli", the multi-process harness "@shoal/testing/cluster".
 */
export { startTestRedis, type TestRedis, type TestRedisOptions } from "./redis-server.js";
export { useTestRedis, type TestRedisHandle } from "./use-test-redis.js";
export { waitFor, WaitAborted } from "./wait-for.js";
export { fixture, fixturesDir, repoRoot } from "./paths.js";
