import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { redisFlags } from "./common.js";
import { defineFlags, flag } from "./define.js";
import { parseFlags } from "./parse.js";

const flags = defineFlags({
  trials: flag.int({ value: "N", min: 0, help: "trials" }),
  ...redisFlags,
});

function usageError(argv: string[]): UsageError {
  try {
    parseFlags("demo", argv, flags);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
}

describe("parseFlags", () => {
  it("returns the typed, defaulted values and the positionals", () => {
    expect(parseFlags("demo", ["a.ts", "--trials", "3", "--redis=redis://h", "-h"], flags)).toEqual({
      values: { trials: 3, redis: "redis://h", "log-format": "pretty", help: true },
      positionals: ["a.ts"],
    });
  });

  it("gives a negative number the flag's range message, not parseArgs' ambiguity", () => {
    expect(usageError(["--trials", "-5"]).message).toContain('--trials must be a whole number >= 0, got "-5".');
    expect(usageError(["--trials", "-.5"]).message).toContain('got "-.5"');
    // A dash that is no number is still a flag.
    expect(usageError(["--trials", "-h"]).message).toMatch(/argument is ambiguous/);
  });

  it("quotes the bad value after the schema's message, for the command's usage", () => {
    const error = usageError(["--trials", "many"]);
    expect(error.message).toBe('--trials must be a whole number >= 0, got "many".');
    expect(error.command).toBe("demo");
    expect(usageError(["--prefix="]).message).toBe('Too small: expected string to have >=1 characters, got "".');
    expect(usageError(["--log-format", "xml"]).message).toBe('--log-format must be one of pretty, json, got "xml".');
  });

  it("passes parseArgs' own messages on, without its hint about positionals", () => {
    expect(usageError(["--bogus"]).message).toBe("Unknown option '--bogus'.");
    expect(usageError(["--trials"]).message).toMatch(/^Option '--trials <value>' argument missing/);
  });
});
