/**
 * The layout rules of docs/architecture.md, checked on the source: the one-way package graph, no
 * import of another package's internals, no import cycle inside a package, and no test or
 * benchmark that reaches into a package's src by a relative path.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** What each package may import of ours (by name), as the architecture page draws it. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  redis: ["core"],
  journal: ["core"],
  viz: ["core"],
  worker: ["core", "redis"],
  coordinator: ["core", "redis"],
  cli: ["core", "redis", "journal", "worker", "coordinator", "viz"],
  // Tests' and benchmarks' helpers: they drive the packages under test (peer dependencies).
  testing: ["core", "redis"],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist") continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  const pattern = /(?:^|\s)(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|(?:^|\s)import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
  for (const m of text.matchAll(pattern)) found.push((m[1] ?? m[2] ?? m[3]) as string);
  return found;
}

function resolveRelative(from: string, spec: string): string {
  const target = path.resolve(path.dirname(from), spec);
  return target.replace(/\.js$/, ".ts");
}

const isTest = (file: string) => /\.test\.ts$|[/\\]test-fixtures[/\\]/.test(file);

describe("the package graph", () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    it(`${pkg} imports only ${allowed.length === 0 ? "no package of ours" : allowed.join(", ")}, by name`, () => {
      const bad: string[] = [];
      for (const file of sourceFiles(path.join(repoRoot, "packages", pkg, "src"))) {
        if (isTest(file)) continue;
        for (const spec of importsOf(file)) {
          const ours = /^@shoal\/([^/]+)(\/.*)?$/.exec(spec);
          if (ours) {
            if (!allowed.includes(ours[1] as string) || ours[2] !== undefined) bad.push(`${path.relative(repoRoot, file)} imports ${spec}`);
          } else if (spec.startsWith(".")) {
            const target = resolveRelative(file, spec);
            if (!target.startsWith(path.join(repoRoot, "packages", pkg, "src") + path.sep)) bad.push(`${path.relative(repoRoot, file)} imports ${spec}`);
          }
        }
      }
      expect(bad).toEqual([]);
    });
  }
});

describe("import cycles", () => {
  for (const pkg of Object.keys(ALLOWED)) {
    it(`none inside ${pkg}`, () => {
      const root = path.join(repoRoot, "packages", pkg, "src");
      const files = sourceFiles(root).filter((f) => !isTest(f));
      const edges = new Map<string, string[]>();
      for (const file of files) {
        edges.set(
          file,
          importsOf(file)
            .filter((s) => s.startsWith("."))
            .map((s) => resolveRelative(file, s))
            .filter((t) => edges.has(t) || files.includes(t)),
        );
      }
      const cycles: string[] = [];
      const state = new Map<string, "open" | "done">();
      const stack: string[] = [];
      const visit = (file: string): void => {
        state.set(file, "open");
        stack.push(file);
        for (const next of edges.get(file) ?? []) {
          if (state.get(next) === "open") {
            cycles.push(stack.slice(stack.indexOf(next)).concat(next).map((f) => path.relative(root, f)).join(" -> "));
          } else if (!state.has(next)) visit(next);
        }
        stack.pop();
        state.set(file, "done");
      };
      for (const file of files) if (!state.has(file)) visit(file);
      expect(cycles).toEqual([]);
    });
  }
});

describe("tests and benchmarks", () => {
  it("import packages by name, never a package's src by relative path", () => {
    const bad: string[] = [];
    for (const dir of ["test", "bench"]) {
      for (const file of sourceFiles(path.join(repoRoot, dir))) {
        for (const spec of importsOf(file)) {
          if (spec.startsWith(".") && resolveRelative(file, spec).startsWith(path.join(repoRoot, "packages") + path.sep)) {
            bad.push(`${path.relative(repoRoot, file)} imports ${spec}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
