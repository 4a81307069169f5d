import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/command.js";
import { run } from "../../src/cli/run.js";
import { fixtureJson, frameworkOf } from "./support.js";

/** Runs one command line in-process, capturing its output. */
async function mopan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

let dir = "";
let assessment = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mopan-report-cli-"));
  assessment = join(dir, "fixture");
  mkdirSync(assessment);
  writeFileSync(join(assessment, "assessment.json"), JSON.stringify(fixtureJson(frameworkOf("mopan-3.1"))));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const out = (name: string) => join(dir, name);
const noTemporaryFiles = () => expect(readdirSync(dir).filter((f) => f.endsWith(".tmp") || f.includes(".tmp-"))).toEqual([]);

describe("mopan report", () => {
  it("writes HTML to standard output by default", async () => {
    const r = await mopan("report", assessment);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(r.stdout).toContain("Fixture Organisation");
  });

  it("writes --out, refuses to overwrite without --force, overwrites with it", async () => {
    const file = out("report.html");
    expect((await mopan("report", assessment, "--out", file)).code).toBe(0);
    const first = readFileSync(file, "utf8");
    writeFileSync(file, "keep me");
    const refused = await mopan("report", assessment, "--format", "html", "--out", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists; use --force");
    expect(readFileSync(file, "utf8")).toBe("keep me");
    expect((await mopan("report", assessment, "--out", file, "--force")).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(first);
    noTemporaryFiles();
  });

  it("Markdown with --out writes the chart beside it as <name>.svg", async () => {
    const r = await mopan("report", assessment, "--format", "md", "--out", out("fixture.md"));
    expect(r.code).toBe(0);
    const md = readFileSync(out("fixture.md"), "utf8");
    const svg = readFileSync(out("fixture.svg"), "utf8");
    expect(md).toContain("![Performance chart](fixture.svg)");
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/data-mi="/g)).toHaveLength(frameworkOf("mopan-3.1").performanceAreas.flatMap((p) => p.kpis.flatMap((k) => k.mis)).length);
    noTemporaryFiles();
  });

  it("writes nothing when one of the Markdown pair exists", async () => {
    writeFileSync(out("pair.svg"), "old chart");
    const r = await mopan("report", assessment, "--format", "md", "--out", out("pair.md"));
    expect(r.code).toBe(1);
    expect(existsSync(out("pair.md"))).toBe(false);
    expect(readFileSync(out("pair.svg"), "utf8")).toBe("old chart");
  });

  it("Markdown without --out goes to standard output, without the image line", async () => {
    const r = await mopan("report", assessment, "--format", "md");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("## KPI scores");
    expect(r.stdout).not.toContain("![");
    expect(r.stderr).toContain("--out");
  });

  it("usage errors exit 2: pdf without --out, unknown format, no or two assessments", async () => {
    expect((await mopan("report", assessment, "--format", "pdf")).code).toBe(2);
    expect((await mopan("report", assessment, "--format", "docx")).code).toBe(2);
    expect((await mopan("report")).code).toBe(2);
    expect((await mopan("report", assessment, assessment)).code).toBe(2);
    expect((await mopan("report", "--help")).code).toBe(0);
  });

  it("an invalid assessment exits 1 and writes nothing", async () => {
    mkdirSync(out("broken"));
    writeFileSync(join(out("broken"), "assessment.json"), "{ not json");
    const r = await mopan("report", out("broken"), "--out", out("broken.html"));
    expect(r.code).toBe(1);
    expect(existsSync(out("broken.html"))).toBe(false);
  });

  it("PDF without a browser exits 1 with a clear message", async () => {
    const before = process.env["CHROMIUM_PATH"];
    process.env["CHROMIUM_PATH"] = join(dir, "no-such-chromium");
    try {
      const r = await mopan("report", assessment, "--format", "pdf", "--out", out("none.pdf"));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("PDF needs Chromium");
      expect(existsSync(out("none.pdf"))).toBe(false);
    } finally {
      if (before === undefined) delete process.env["CHROMIUM_PATH"];
      else process.env["CHROMIUM_PATH"] = before;
    }
  });

  it("PDF through headless Chromium", async () => {
    const r = await mopan("report", assessment, "--format", "pdf", "--out", out("report.pdf"));
    expect(r.code, r.stderr).toBe(0);
    const pdf = readFileSync(out("report.pdf"));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
    expect((await mopan("report", assessment, "--format", "pdf", "--out", out("report.pdf"))).code).toBe(1);
    noTemporaryFiles();
  });
});
