import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let cached: string | null = null;

/**
 * plotly.js (the minified dist bundle, about 4.8 MB) as script text ready to inline in a page,
 * read once per process. Inlined so every page works offline, with no CDN.
 */
export function plotlyBundle(): string {
  if (cached === null) {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
    // "</script" would end the inline script early; "<\/script" is the same text to JavaScript.
    cached = source.replace(/<\/script/gi, "<\\/script");
  }
  return cached;
}
