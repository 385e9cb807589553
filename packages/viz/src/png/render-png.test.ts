import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BrowserNotFoundError } from "../errors.js";
import { makeFigure } from "../figure.js";
import { DEFAULT_BROWSER } from "./browser.js";
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

  it.skipIf(!existsSync(DEFAULT_BROWSER))("renders a PNG of the figure's size", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "shoal-png-")), "tiny.png");
    await renderPng(figure, file, { width: 320, height: 200 });
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(320);
    expect(png.readUInt32BE(20)).toBe(200);
  }, 60_000);
});
