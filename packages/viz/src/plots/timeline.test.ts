import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotTimeline } from "./timeline.js";

const at = (s: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + s * 1000);

describe("plotTimeline", () => {
  it("uses one lane per worker when the cluster recorded it", () => {
    const fig = plotTimeline(
      snapshot([
        trial(0, { systemAttrs: { worker: "w-10" } }),
        trial(1, { systemAttrs: { worker: "w-2" }, state: "FAIL" }),
        trial(2, { systemAttrs: { worker: "w-2" } }),
      ]),
    );
    expect(fig.layout.title.text).toBe("Timeline Plot");
    expect(fig.layout.yaxis).toMatchObject({ categoryarray: ["w-2", "w-10"] });
    expect(fig.data.map((d) => [d.name, d.y, d.customdata])).toEqual([
      ["COMPLETE", ["w-10", "w-2"], [0, 2]],
      ["FAIL", ["w-2"], [1]],
    ]);
    expect(fig.data[1]!.marker).toMatchObject({ color: "red" });
    expect(fig.data[0]).toMatchObject({ base: [at(0).toISOString(), at(2).toISOString()], x: [500, 500], orientation: "h" });
  });

  it("packs trials without a worker into concurrent slots", () => {
    const fig = plotTimeline(
      snapshot([
        trial(0, { datetimeStart: at(0), datetimeComplete: at(10) }),
        trial(1, { datetimeStart: at(1), datetimeComplete: at(3) }),
        trial(2, { datetimeStart: at(4), datetimeComplete: at(6) }),
        trial(3, { datetimeStart: at(5), datetimeComplete: null, state: "RUNNING" }),
      ]),
      { now: at(8) },
    );
    expect(fig.data.find((d) => d.name === "COMPLETE")!.y).toEqual(["slot 1", "slot 2", "slot 2"]);
    const running = fig.data.find((d) => d.name === "RUNNING")!;
    expect(running).toMatchObject({ y: ["slot 3"], x: [3000] });
  });

  it("has a single local lane when trials never overlapped", () => {
    const fig = plotTimeline(snapshot([trial(0), trial(1), trial(2)]));
    expect(fig.data[0]!.y).toEqual(["local", "local", "local"]);
  });

  it("says so when nothing started", () => {
    expect(figureMessage(plotTimeline(snapshot([trial(0, { state: "WAITING", datetimeStart: null, datetimeComplete: null })])))).toContain(
      "has started yet",
    );
  });
});
