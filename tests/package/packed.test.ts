/**
 * The package as users install it: `npm pack`, installed into an empty folder, then the README's
 * library example and one example per exported analysis compiled against it with `tsc`, and the
 * installed package run on the reference assessment, without the optional playwright-core.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const IOM = join(ROOT, "assessments/iom-2023");
let dir = "";

/** The ```ts block of the README's "Library" section. */
function readmeLibraryExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Library"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README has no ```ts block under ## Library");
  return block;
}

const EXAMPLES: Record<string, string> = {
  "readme.ts": readmeLibraryExample(),
  "compare.ts": `
import { Registry, compareResults, prepareAssessment, renderCompareText, score } from "mopan-engine";
const registry = new Registry();
const { assessment, framework, scale } = prepareAssessment(${JSON.stringify(IOM)}, registry);
if (assessment && framework && scale) {
  const result = score(framework, scale, assessment);
  const comparison = compareResults(result, result, { scaleA: scale, scaleB: scale, labels: { a: "before", b: "after" } });
  const changed: number = comparison.summary.kpis.ratingChanged;
  console.log(changed, renderCompareText(comparison, { a: scale, b: scale }));
}
`,
  "sensitivity.ts": `
import { Registry, prepareAssessment, renderSensitivityText, sensitivity, type SensitivityResult } from "mopan-engine";
const registry = new Registry();
const { assessment, framework, scale } = prepareAssessment(${JSON.stringify(IOM)}, registry);
if (assessment && framework && scale) {
  const result: SensitivityResult = sensitivity(framework, scale, assessment, { scales: registry.ratingScales() });
  for (const kpi of result.kpis) console.log(kpi.id, kpi.margin.up?.distance, kpi.changes.up.reached);
  console.log(renderSensitivityText(result, scale, "IOM"));
}
`,
  "simulate.ts": `
import { Registry, UncertaintyModel, prepareAssessment, simulate } from "mopan-engine";
import { readFileSync } from "node:fs";
const registry = new Registry();
const { assessment, framework, scale } = prepareAssessment(${JSON.stringify(IOM)}, registry);
const uncertainty = UncertaintyModel.parse(JSON.parse(readFileSync("node_modules/mopan-engine/framework/uncertainty/default.json", "utf8")));
if (assessment && framework && scale) {
  const result = simulate(framework, scale, assessment, { draws: 1000, seed: 1, uncertainty });
  for (const kpi of result.kpis) console.log(kpi.id, kpi.stability, kpi.probabilities);
}
`,
  "what-if.ts": `
import { Registry, prepareAssessment, ratingAuthority, whatIf } from "mopan-engine";
const registry = new Registry();
const { assessment, framework, scale } = prepareAssessment(${JSON.stringify(IOM)}, registry);
if (assessment && framework && scale) {
  const { result, diagnostics } = whatIf(framework, scale, assessment, [{ id: "MI1.1.E1", value: "4" }]);
  if (result) for (const change of result.ratingChanges) console.log(change.id, change.from, "->", change.to);
  else console.error(diagnostics);
  const authority = ratingAuthority(framework.policy, scale);
  console.log(authority.bands.map((band) => band.code));
}
`,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mopan-packed-"));
  execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, stdio: "pipe" });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", `./${tarball}`, "@types/node@^20"], { cwd: dir, stdio: "pipe" });
  for (const [name, text] of Object.entries(EXAMPLES)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, exactOptionalPropertyTypes: true, noEmit: true, types: ["node"], skipLibCheck: false },
      files: Object.keys(EXAMPLES),
    }),
  );
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed package", () => {
  it("compiles the README's library example and one example per analysis", () => {
    let output = "";
    try {
      execFileSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  }, 120_000);

  it("runs from its installed files: the README example scores the reference assessment", () => {
    const script = EXAMPLES["readme.ts"]!.replace('"assessments/iom-2023"', JSON.stringify(IOM));
    writeFileSync(join(dir, "readme-run.mjs"), script);
    const out = execFileSync(process.execPath, ["readme-run.mjs"], { cwd: dir, encoding: "utf8" });
    // The same KPIs, scores and ratings as the checkout's own CLI gives.
    const fromCheckout = JSON.parse(execFileSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), "score", IOM, "--format", "json"], { encoding: "utf8" })) as {
      kpis: { id: string; score: number | null; rating: string }[];
    };
    const lines = out
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" ").slice(0, 3).join(" "));
    expect(lines).toEqual(fromCheckout.kpis.map((k) => `${k.id} ${k.score} ${k.rating}`));
    expect(lines.length).toBeGreaterThan(0);
  }, 60_000);

  it("starts from the caches the build made: V8 accepts the bundle's code cache, and the shipped frameworks and rating scales are not validated again", () => {
    const installed = join(dir, "node_modules/mopan-engine");
    const probe = `
      const { compile } = require(${JSON.stringify(join(installed, "dist/bin/mopan.js"))});
      const script = compile(true);
      process.stdout.write(JSON.stringify({ cache: script.cachedDataRejected === false }));`;
    expect(JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: dir, encoding: "utf8" }))).toEqual({ cache: true });
    const cached = `
      import { Registry } from "mopan-engine";
      const registry = new Registry();
      registry.framework("mopan-3.1-crisis");
      registry.ratingScales();
      console.log(JSON.stringify(registry.filesRead()));`;
    writeFileSync(join(dir, "cached.mjs"), cached);
    expect(JSON.parse(execFileSync(process.execPath, ["cached.mjs"], { cwd: dir, encoding: "utf8" }))).toEqual([]);
    // The command as npm links it (node_modules/.bin/mopan, a symbolic link to dist/bin/mopan.js).
    const bin = spawnSync(join(dir, "node_modules/.bin/mopan"), ["score", IOM], { cwd: dir, encoding: "utf8" });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toContain("KPI");
  }, 60_000);

  it("installs without playwright-core (an optional peer), and report --format pdf then says what to install", () => {
    const bin = join(dir, "node_modules/mopan-engine/dist/bin/mopan.js");
    const run = spawnSync(process.execPath, [bin, "report", IOM, "--format", "pdf", "--out", join(dir, "iom.pdf")], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/npm install playwright-core/);
    expect(existsSync(join(dir, "iom.pdf"))).toBe(false);
    const html = spawnSync(process.execPath, [bin, "report", IOM, "--format", "html"], { cwd: dir, encoding: "utf8" });
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/i);
  }, 60_000);
});
