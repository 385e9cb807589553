import { describe, expect, it } from "vitest";
import { BrowserNotFoundError } from "../errors.js";
import { makeFigure } from "../figure.js";
import { renderPng } from "./render-png.js";

const figure = makeFigure("Tiny", [{ type: "scatter", x: [1, 2, 3], y: [3, 1, 2] }], {});

describe("renderPng", () => {
  it("says how to get a browser when there is none", async () => {
    const error = await renderPng(figure, "/tmp/never.png", { browser: "/nonexistent/chromium" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toBe(
      "No Chromium at /nonexistent/chromium: PNG images are rendered by a headless Chromium. " +
        "Install one with `apt-get install -y chromium` (Debian, Ubuntu), " +
        "or give the path of a Chromium or Chrome binary with --browser PATH (option `browser`).",
    );
  });
});
