import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseWorkerArgs } from "./worker.js";

const objective = path.relative(process.cwd(), fileURLToPath(import.meta.url));
const base = [objective, "--redis", "redis://h:6379"];

describe("shoal worker flags", () => {
  it("takes --trial-memory MB for its trial threads, and leaves the default to the TrialRunner", () => {
    expect(parseWorkerArgs([...base, "--trial-memory", "256"], process.cwd(), {})?.trialMemoryMb).toBe(256);
    expect(parseWorkerArgs(base, process.cwd(), {})?.trialMemoryMb).toBeUndefined();
  });

  it("bounds the shutdown by --shutdown-grace S (default 8 s, under docker stop's 10 s)", () => {
    expect(parseWorkerArgs(base, process.cwd(), {})?.shutdownGraceMs).toBe(8000);
    expect(parseWorkerArgs([...base, "--shutdown-grace", "2.5"], process.cwd(), {})?.shutdownGraceMs).toBe(2500);
    expect(() => parseWorkerArgs([...base, "--shutdown-grace", "0"], process.cwd(), {})).toThrow("--shutdown-grace must be a number of seconds > 0");
  });

  it.each([
    [["--trial-memory", "31"], '--trial-memory must be a whole number from 32 to 65536, got "31".'],
    [["--trial-memory", "65537"], '--trial-memory must be a whole number from 32 to 65536, got "65537".'],
    [["--trial-memory", "-64"], '--trial-memory must be a whole number from 32 to 65536, got "-64".'],
    [["--trial-memory", "1g"], '--trial-memory must be a whole number from 32 to 65536, got "1g".'],
  ])("rejects %j with the flag's range", (argv, message) => {
    const parse = () => parseWorkerArgs([...base, ...argv], process.cwd(), {});
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});
