import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { describe, expect, it } from "vitest";

const exampleDir = path.join(repoRoot, "examples/iris-random-forest");

describe("npm run demo", () => {
  it("runs the tutorial's 100 TPE trials with Optuna-style lines and reaches an accuracy of at least 0.9", async () => {
    // The very command of the demo script, so the test and the README cannot drift apart.
    const pkg = JSON.parse(await readFile(path.join(exampleDir, "package.json"), "utf8")) as { scripts: { demo: string } };
    const optimize = pkg.scripts.demo.split("&&")[0]!.trim().split(/\s+/);
    expect(optimize.slice(0, 2)).toEqual(["shoal", "optimize"]);
    const out = await mkdtemp(path.join(tmpdir(), "shoal-demo-"));
    try {
      const args = optimize.slice(1);
      args[args.indexOf("--out") + 1] = out;
      const res = await runShoal([...args, "--no-progress"], { cwd: exampleDir });
      expect(res.code).toBe(0);
      const lines = res.stderr.split("\n").filter((l) => / Trial \d+ finished with value: /.test(l));
      expect(lines).toHaveLength(100);
      const best = Number(/ {2}Value: ([0-9.]+)/.exec(res.stdout)?.[1]);
      expect(best).toBeGreaterThanOrEqual(0.9);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
