/**
 * Every byte the CLI writes passes through one output layer: src/io/output.ts (stdout, stderr,
 * signals) and src/io/atomic-write.ts (files, as transactions). This test reads src/ and fails on
 * any other write path, so a new command cannot write around the layer's checks.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support.js";

const SRC = join(ROOT, "src");

const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

/** Calls that write, create, move or remove files, or write to the standard streams. */
const WRITE_PATH =
  /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|writeSync|writev|renameSync|linkSync|unlinkSync|rmSync|rmdirSync|mkdirSync|copyFileSync|cpSync|symlinkSync|truncateSync|ftruncateSync|openSync)\b|process\.(stdout|stderr)\b|\bconsole\.|node:fs\/promises|import \* as \w+ from "node:fs"/;

/** The output layer, and the one build-time writer (never imported by the CLI; see below). */
const ALLOWED: Record<string, string> = {
  "io/output.ts": "stdout, stderr and signals",
  "io/atomic-write.ts": "files, written as transactions",
  "io/framework-cache.ts": "the framework cache, written by scripts/cache-frameworks.mjs at build time only",
};

const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

describe("one output layer", () => {
  it("no file under src/ writes except the output layer", () => {
    const offenders = sources(SRC)
      .map((file) => ({ file: relative(SRC, file).split("\\").join("/"), text: code(readFileSync(file, "utf8")) }))
      .filter(({ file, text }) => !(file in ALLOWED) && WRITE_PATH.test(text))
      .map(({ file, text }) => `${file}: ${WRITE_PATH.exec(text)![0]}`);
    expect(offenders).toEqual([]);
  });

  it("the build-time cache writer is not reachable from the CLI", () => {
    const importers = sources(SRC).filter((file) => /\bwriteCachedFramework\b/.test(code(readFileSync(file, "utf8"))));
    expect(importers.map((f) => relative(SRC, f))).toEqual(["io/framework-cache.ts"]);
  });

  it("the test itself would catch a write path (it is not vacuous)", () => {
    for (const line of ['writeFileSync("x", "y")', "process.stdout.write(s)", 'import { writeFile } from "node:fs/promises"', "console.log(1)"]) expect(WRITE_PATH.test(line), line).toBe(true);
    expect(WRITE_PATH.test('readFileSync("x")')).toBe(false);
  });

  it("commands write files only with writeOutputs and text only through the Terminal", () => {
    const commands = join(SRC, "cli/commands");
    for (const file of readdirSync(commands)) {
      const text = code(readFileSync(join(commands, file), "utf8"));
      expect(text, file).not.toMatch(/from "node:fs"[^;]*\b(write|open|rename|unlink|mkdir)/);
    }
    for (const file of ["init.ts", "convert.ts", "report.ts"]) expect(readFileSync(join(commands, file), "utf8"), file).toContain("await writeOutputs(");
  });
});
