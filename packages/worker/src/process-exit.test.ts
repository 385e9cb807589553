import { execFile } from "node:child_process";
import { expect, test } from "vitest";
import { fixture } from "./test-fixtures/harness.js";

test("no thread or handle is left behind: a process that used the runner exits by itself", async () => {
  const started = Date.now();
  type Ended = { code: number | null; stdout: string; stderr: string };
  const { code, stdout, stderr } = await new Promise<Ended>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), fixture("exits-when-done.ts")],
      // Killed if it hangs: that is the failure this test looks for.
      { timeout: 20_000 },
      (_, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
  expect(stderr).toBe("");
  expect(code, `the process did not exit by itself within ${Date.now() - started} ms`).toBe(0);
  expect(JSON.parse(stdout)).toEqual(["FAIL", "COMPLETE", "COMPLETE", "RUNNING"]);
});
