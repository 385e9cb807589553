import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { BrowserLaunchError, BrowserNotFoundError } from "../errors.js";

/** Where PNG rendering looks for Chromium unless told otherwise (Debian's `chromium` package). */
export const DEFAULT_BROWSER = "/usr/bin/chromium";

/**
 * Chromium's switches for rendering: no sandbox (containers, root), no GPU (software WebGL is
 * enough for plotly's parallel coordinates), and nothing that reaches the network on its own.
 * Playwright adds --headless; the profile is a fresh --user-data-dir, removed afterwards.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** Options for the headless browser. */
export interface BrowserOptions {
  /** A Chromium or Chrome executable. @default "/usr/bin/chromium" */
  browser?: string | undefined;
}

/**
 * Runs `use` with a page of a fresh headless Chromium, then closes the browser and removes its
 * profile whatever happens. Throws BrowserNotFoundError when the executable is missing.
 */
export async function withBrowserPage<T>(options: BrowserOptions, use: (page: Page) => Promise<T>): Promise<T> {
  const executablePath = options.browser ?? DEFAULT_BROWSER;
  if (!existsSync(executablePath)) throw new BrowserNotFoundError(executablePath);
  const userDataDir = await mkdtemp(path.join(tmpdir(), "shoal-chromium-"));
  try {
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
        viewport: { width: 1200, height: 800 },
      });
    } catch (error) {
      throw new BrowserLaunchError(
        `Chromium at ${executablePath} did not start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        { cause: error },
      );
    }
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      return await use(page);
    } finally {
      await context.close();
    }
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
}
