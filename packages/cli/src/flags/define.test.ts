import { describe, expect, expectTypeOf, it } from "vitest";
import { defineFlags, flag, type FlagValues } from "./define.js";

const flags = defineFlags({
  trials: flag.int({ value: "N", min: 0, help: "trials" }),
  jobs: flag.int({ value: "N", min: 1, max: 8, default: 1, help: "jobs" }),
  timeout: flag.positiveNumber({ value: "S", unit: "seconds", help: "timeout" }),
  direction: flag.choice({ value: "DIR", choices: ["minimize", "maximize"], default: "minimize", help: "direction" }),
  format: flag.choice({ value: "F", choices: ["a", "b"], help: "format" }),
  name: flag.text({ value: "NAME", short: "n", help: "name" }),
  out: flag.text({ value: "DIR", rule: "must name a directory", help: "out" }),
  id: flag.text({ value: "ID", pattern: /^[a-z]+$/, rule: "may hold only a-z", help: "id" }),
  url: flag.text({ value: "URL", allowEmpty: true, help: "url" }),
  quiet: flag.boolean({ help: "quiet" }),
});

const parse = (values: Record<string, unknown>) => flags.schema.safeParse(values);
const message = (values: Record<string, unknown>) => parse(values).error?.issues[0]?.message;

describe("defineFlags", () => {
  it("derives parseArgs options in declaration order, with -h/--help last", () => {
    expect(flags.options).toEqual({
      trials: { type: "string" },
      jobs: { type: "string" },
      timeout: { type: "string" },
      direction: { type: "string" },
      format: { type: "string" },
      name: { type: "string", short: "n" },
      out: { type: "string" },
      id: { type: "string" },
      url: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    expect(Object.keys(flags.flags)).toEqual(Object.keys(flags.options));
  });

  it("fills in defaults and leaves flags without one undefined", () => {
    expect(parse({}).data).toEqual({ jobs: 1, direction: "minimize", quiet: false, help: false });
  });

  it("converts numbers and keeps text and choices as given", () => {
    const values = { trials: "20", jobs: "8", timeout: "1.5", direction: "maximize", format: "b", name: "x", out: "o", id: "abc", url: "", quiet: true };
    expect(parse(values).data).toEqual({ ...values, trials: 20, jobs: 8, timeout: 1.5, help: false });
  });

  it.each([
    [{ trials: "-1" }, "--trials must be a whole number >= 0"],
    [{ trials: "ten" }, "--trials must be a whole number >= 0"],
    [{ jobs: "9" }, "--jobs must be a whole number from 1 to 8"],
    [{ timeout: "0" }, "--timeout must be a number of seconds > 0"],
    [{ timeout: "" }, "--timeout must be a number of seconds > 0"],
    [{ direction: "up" }, "--direction must be one of minimize, maximize"],
    [{ format: "c" }, "--format must be one of a, b"],
    [{ out: "" }, "--out must name a directory"],
    [{ id: "A" }, "--id may hold only a-z"],
    [{ name: "" }, "Too small: expected string to have >=1 characters"],
  ])("says what %j breaks", (values, expected) => {
    expect(message(values)).toBe(expected);
  });

  it("names the first bad flag in declaration order, whatever the argv order", () => {
    expect(parse({ out: "", trials: "x" }).error?.issues[0]?.path).toEqual(["trials"]);
  });

  it("types each value from its declaration", () => {
    type Values = FlagValues<typeof flags>;
    expectTypeOf<Values["trials"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Values["jobs"]>().toEqualTypeOf<number>();
    expectTypeOf<Values["timeout"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Values["direction"]>().toEqualTypeOf<"minimize" | "maximize">();
    expectTypeOf<Values["format"]>().toEqualTypeOf<"a" | "b" | undefined>();
    expectTypeOf<Values["name"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Values["quiet"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Values["help"]>().toEqualTypeOf<boolean>();
  });
});
