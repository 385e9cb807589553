/**
 * Usage errors as a user meets them, through the real `shoal` command (issue 18): a flag's range
 * message and exit code 2, never Node's parser text or a stack.
 */
import { fixture } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { describe, expect, it } from "vitest";

describe("shoal optimize's usage errors", () => {
  it.each([
    [["--trials", "-5"], '--trials must be a whole number >= 0, got "-5".'],
    [["--trials", "5", "--jobs", "-2"], '--jobs must be a whole number from 1 to 1024, got "-2".'],
    [["--trials", "5", "--directions", "up,down"], "--directions must be a comma-separated list of minimize and maximize"],
  ])("%j: the flag's range, exit 2", async (args, message) => {
    const res = await runShoal(["optimize", fixture("quadratic.mjs"), ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).not.toMatch(/ambiguous|\n\s+at /);
  });
});
