/**
 * The import rule of docs/architecture.md, read from the source: every import points to the same
 * layer or one below, no module imports itself through others (no cycle), the core uses no Node
 * built-in, and only the rating authority orders bands or rates a score.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** The layers, lowest first: a folder (or top-level file) of src/ may import only from its layer or below. */
const LAYERS: readonly (readonly string[])[] = [
  ["util", "vocabulary", "version.ts"],
  ["diagnostics", "text"],
  ["rating"],
  ["framework"],
  ["assessment"],
  ["scoring"],
  ["analysis", "survey"],
  ["schema"],
  ["io", "render"],
  ["report"],
  ["cli", "index.ts", "workbench"],
];
/** Layers that are the core: pure, no Node built-in (they must run in a browser). */
const CORE_TOP = LAYERS.findIndex((l) => l.includes("schema"));

const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

const SOURCES = files(SRC).map((file) => ({ file: relative(SRC, file).replaceAll("\\", "/"), text: readFileSync(file, "utf8") }));

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) out.push((m[1] ?? m[2])!);
  return out;
}

const top = (file: string) => file.split("/")[0]!;
const layerOf = (file: string): number => {
  const i = LAYERS.findIndex((l) => l.includes(top(file)));
  if (i < 0) throw new Error(`src/${file} is in no layer of tests/architecture.test.ts (add its folder to LAYERS and docs/architecture.md)`);
  return i;
};
const resolveImport = (from: string, spec: string) =>
  relative(SRC, resolve(SRC, dirname(from), spec))
    .replaceAll("\\", "/")
    .replace(/\.js$/, ".ts");

const GRAPH = new Map(
  SOURCES.map(({ file, text }) => [
    file,
    importsOf(text)
      .filter((s) => s.startsWith("."))
      .map((s) => resolveImport(file, s)),
  ]),
);

describe("the layer rule (docs/architecture.md)", () => {
  it("docs/architecture.md draws the same layers, in the same order", () => {
    const doc = readFileSync(fileURLToPath(new URL("../docs/architecture.md", import.meta.url)), "utf8");
    const drawn = [...doc.matchAll(/^\s+(\d+)\s{2,}(\S.*?)\s{2,}/gm)].map((m) => ({ layer: Number(m[1]), folders: m[2]!.split(/\s+/).map((f) => f.replace(/\/$/, "")) }));
    expect(drawn.map((d) => d.layer).sort((a, b) => a - b)).toEqual(LAYERS.map((_, i) => i));
    for (const { layer, folders } of drawn) expect([...folders].sort(), `layer ${layer}`).toEqual([...LAYERS[layer]!].sort());
  });

  it("reads the imports of every source file", () => {
    expect(SOURCES.length).toBeGreaterThan(50);
    expect(GRAPH.get("scoring/score.ts")).toContain("rating/authority.ts");
    for (const [file, targets] of GRAPH) for (const t of targets) expect(GRAPH.has(t), `${file} imports ${t}, which does not exist`).toBe(true);
  });

  it("every import points to the same layer or one below", () => {
    const upward: string[] = [];
    for (const [file, targets] of GRAPH) {
      for (const t of targets) if (layerOf(t) > layerOf(file)) upward.push(`${file} -> ${t}`);
    }
    expect(upward).toEqual([]);
  });

  it("no import cycle, between files or between folders of one layer", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "open");
      for (const t of GRAPH.get(file) ?? []) visit(t, [...path, file]);
      state.set(file, "done");
    };
    for (const file of GRAPH.keys()) visit(file, []);
    expect(cycles).toEqual([]);
    // Folders that share a layer may not import each other both ways.
    const folderEdges = new Set<string>();
    for (const [file, targets] of GRAPH) for (const t of targets) if (top(file) !== top(t)) folderEdges.add(`${top(file)} ${top(t)}`);
    const mutual = [...folderEdges].filter((e) => folderEdges.has(e.split(" ").reverse().join(" ")));
    expect(mutual).toEqual([]);
  });

  it("the core uses no Node built-in and no file access", () => {
    const found = SOURCES.filter(({ file }) => layerOf(file) <= CORE_TOP).flatMap(({ file, text }) =>
      importsOf(text)
        .filter((s) => s.startsWith("node:") || ["fs", "path", "crypto", "os", "url", "util"].includes(s))
        .map((s) => `${file}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it("only the rating authority orders bands, rounds a score to rate it, or builds a rating", () => {
    const offenders = SOURCES.filter(({ file }) => file !== "rating/authority.ts").flatMap(({ file, text }) =>
      [/bands\]?\)?\.sort\(/, /\.bands\.map\([^)]*\)\)?\.sort\(/, /roundExact\([^)]*\)[^;]*classify/].filter((re) => re.test(text)).map((re) => `${file}: ${re}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe("the portable sha256 of the core", () => {
  it("gives the bytes node:crypto gives, for ASCII, non-ASCII and empty text", async () => {
    const { createHash } = await import("node:crypto");
    const { sha256Text, useSha256 } = await import("../src/util/sha256.js");
    useSha256(undefined);
    for (const text of ["", "IOM 2023", "Évaluation — ŝ 𝄞 \u0000 \ud83d\ude00", "x".repeat(100_000)]) {
      expect(sha256Text(text)).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
    }
  });

  it("is the portable one unless an edge installs Node's; both hash alike", async () => {
    const { sha256Text, useSha256 } = await import("../src/util/sha256.js");
    const calls: string[] = [];
    useSha256((text) => {
      calls.push(text);
      return "0".repeat(64);
    });
    expect(sha256Text("x")).toBe(`sha256:${"0".repeat(64)}`);
    useSha256(undefined);
    expect(sha256Text("x")).toBe("sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
    expect(calls).toEqual(["x"]);
  });
});
