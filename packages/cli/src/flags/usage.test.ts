import { describe, expect, it } from "vitest";
import { redisFlags } from "./common.js";
import { defineFlags, flag } from "./define.js";
import { flagLabel, formatOptions } from "./usage.js";

describe("formatOptions", () => {
  it("lines the descriptions up at the column, continuation lines too, with -h/--help last", () => {
    const flags = defineFlags({
      trials: flag.int({ value: "N", min: 0, help: "number of trials to run (N >= 0)" }),
      prefetch: flag.int({ value: "N", min: 0, default: 1, help: "jobs taken beyond the free slots\nso a thread never waits" }),
      "no-progress": flag.boolean({ help: "no progress bar" }),
      ...redisFlags,
    });
    expect(formatOptions(flags, 24)).toBe(
      [
        "Options:",
        "  --trials N              number of trials to run (N >= 0)",
        "  --prefetch N            jobs taken beyond the free slots",
        "                          so a thread never waits",
        "  --no-progress           no progress bar",
        "  --redis URL             Redis (default $SHOAL_REDIS_URL or $REDIS_URL)",
        "  --prefix P              Redis key prefix (default shoal)",
        "  --queue NAME            BullMQ queue (default trials)",
        "  --connect-timeout S     fail when Redis does not answer within S seconds at start (default 5)",
        "  --log-format FORMAT     pretty (default) or json",
        "  -h, --help              this help",
      ].join("\n"),
    );
  });

  it("keeps two spaces after a label longer than the column", () => {
    const flags = defineFlags({ "stalled-interval": flag.int({ value: "MS", min: 0, help: "how often\nto look" }) });
    expect(formatOptions(flags, 10).split("\n").slice(1, 3)).toEqual(["  --stalled-interval MS  how often", "                         to look"]);
  });

  it("spells a flag with its short alias and its value's name", () => {
    expect(flagLabel("study", flag.text({ value: "NAME", short: "s", help: "" }))).toBe("-s, --study NAME");
    expect(flagLabel("png", flag.boolean({ help: "" }))).toBe("--png");
  });

  it("writes the declared default where the help says {default}, so it is written once", () => {
    const flags = defineFlags({
      "lock-duration": flag.int({ value: "MS", min: 500, default: 5000, help: "taken back after (default {default})" }),
      format: flag.choice({ value: "F", choices: ["table", "json"], default: "table", help: "(default {default};\nor json)" }),
    });
    expect(formatOptions(flags, 20).split("\n").slice(1, 4)).toEqual([
      "  --lock-duration MS  taken back after (default 5000)",
      "  --format F          (default table;",
      "                      or json)",
    ]);
    const broken = defineFlags({ jobs: flag.int({ value: "N", min: 1, help: "(default {default})" }) });
    expect(() => formatOptions(broken, 20)).toThrow(/help says \{default\} but it has none/);
  });
});
