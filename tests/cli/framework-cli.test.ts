import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Runs the built CLI (dist/), as users do: `npm test` builds first.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli/main.js");
const BROKEN_DIR = "tests/fixtures/frameworks/broken";
const SCALES_DIR = "tests/fixtures/frameworks/rating-scales";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function mopan(args: readonly string[], { cli = CLI, cwd = ROOT }: { cli?: string; cwd?: string } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["MOPAN_DEBUG"];
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Lines such as "    at loadFramework (file:///...)" mean an exception escaped to the user. */
const STACK_LINE = /^\s{4}at /m;
const noStackTrace = (run: Run) => {
  expect(run.stdout).not.toMatch(STACK_LINE);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stderr).not.toContain("internal error");
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests (npm test does).`);
});

interface ShowJson {
  id: string;
  counts: { performanceAreas: number; kpis: number; mis: number; elements: number; resultsMis: number; elementScoredMis: number };
  changes: { op: string; id: string; parent?: string; title?: string }[];
  extends?: { id: string; version: string };
  items: { id: string; level: string; parent: string | null; title: string; provenance: { status: string; source?: string } }[];
}

describe("mopan framework list", () => {
  let pkg: string;
  beforeAll(() => {
    // A copy of the package whose framework/ folder holds only the MOPAN frameworks and scales, so
    // the exit code reflects them and not whatever else lies in the working tree's framework/.
    pkg = mkdtempSync(join(tmpdir(), "mopan-cli-"));
    cpSync(join(ROOT, "dist"), join(pkg, "dist"), { recursive: true });
    mkdirSync(join(pkg, "framework/rating-scales"), { recursive: true });
    for (const name of ["mopan-3.1.json", "mopan-3.1-crisis.json"]) {
      if (existsSync(join(ROOT, "framework", name))) cpSync(join(ROOT, "framework", name), join(pkg, "framework", name));
    }
    cpSync(join(ROOT, "framework/rating-scales"), join(pkg, "framework/rating-scales"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "mopan-cli-copy", type: "module" }));
  });
  afterAll(() => {
    if (pkg) rmSync(pkg, { recursive: true, force: true });
  });

  it("exits 0 and lists each framework with its counts", () => {
    const run = mopan(["framework", "list"], { cli: join(pkg, "dist/cli/main.js"), cwd: pkg });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^mopan-3\.1 +0\.1\.0 +methodology 3\.1 +5 PAs, 12 KPIs, 57 MIs, \d+ elements$/m);
    expect(run.stdout).toMatch(/^mopan-3\.1-crisis .*\(overlay on mopan-3\.1\)$/m);
    noStackTrace(run);
  });

  it("--format json gives counts, provenance summary and content hash per framework", () => {
    const run = mopan(["framework", "list", "--format", "json"], { cli: join(pkg, "dist/cli/main.js"), cwd: pkg });
    expect(run.status).toBe(0);
    const list = JSON.parse(run.stdout) as { id: string; counts: ShowJson["counts"]; contentHash: string; ratingScale: string }[];
    const mopan31 = list.find((f) => f.id === "mopan-3.1");
    expect(mopan31).toMatchObject({ ratingScale: "mopan-3.1", counts: { performanceAreas: 5, kpis: 12, mis: 57 } });
    expect(mopan31?.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("on the working tree, lists every file of framework/ and exits 1 exactly when one is invalid", () => {
    const run = mopan(["framework", "list", "--format", "json"]);
    const list = JSON.parse(run.stdout) as { id: string; valid?: boolean }[];
    const files = readdirSync(join(ROOT, "framework"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5))
      .sort();
    expect(list.map((f) => f.id).sort()).toEqual(files);
    expect(list.find((f) => f.id === "mopan-3.1")?.valid).not.toBe(false);
    const invalid = list.filter((f) => f.valid === false).map((f) => f.id);
    expect(run.status, `invalid entries: ${invalid.join(", ")}`).toBe(invalid.length === 0 ? 0 : 1);
    noStackTrace(run);
  });
});

describe("mopan framework show", () => {
  it("mopan-3.1 --format json lists every item with id, level, parent, title and provenance", () => {
    const run = mopan(["framework", "show", "mopan-3.1", "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const shown = JSON.parse(run.stdout) as ShowJson;
    expect(shown.id).toBe("mopan-3.1");
    expect(shown.counts).toMatchObject({ performanceAreas: 5, kpis: 12, mis: 57 });
    expect(shown.counts.elements).toBeGreaterThanOrEqual(220);
    expect(shown.changes).toEqual([]);

    const byLevel = (level: string) => shown.items.filter((i) => i.level === level);
    expect(byLevel("performance-area")).toHaveLength(5);
    expect(byLevel("kpi")).toHaveLength(12);
    expect(byLevel("mi")).toHaveLength(57);
    expect(byLevel("element")).toHaveLength(shown.counts.elements);
    expect(shown.items).toHaveLength(5 + 12 + 57 + shown.counts.elements);

    const levels = new Map(shown.items.map((i) => [i.id, i.level]));
    expect(levels.size).toBe(shown.items.length);
    const parentLevel: Record<string, string | null> = { "performance-area": null, kpi: "performance-area", mi: "kpi", element: "mi" };
    const statuses = ["verified", "reconstructed-high", "reconstructed-medium", "reconstructed-low", "project"];
    for (const item of shown.items) {
      expect(Object.keys(item).sort()).toEqual(["id", "level", "parent", "provenance", "title"]);
      expect(item.title.length, item.id).toBeGreaterThan(0);
      expect(statuses, item.id).toContain(item.provenance.status);
      expect(item.parent === null ? null : levels.get(item.parent), item.id).toBe(parentLevel[item.level]);
    }
    expect(shown.items[0]).toMatchObject({ id: "PA1", level: "performance-area", parent: null });
    expect(shown.items.find((i) => i.id === "MI1.1")).toMatchObject({ level: "mi", parent: "KPI1" });
    expect(shown.items.find((i) => i.id === "MI1.1.E1")).toMatchObject({ level: "element", parent: "MI1.1" });
  });

  it("mopan-3.1 as text shows counts, the rating scale and the tree", () => {
    const run = mopan(["framework", "show", "mopan-3.1"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^5 performance areas, 12 KPIs, 57 MIs \(\d+ scored through elements, \d+ results MIs\), \d+ elements$/m);
    expect(run.stdout).toMatch(/^Rating scale mopan-3\.1 /m);
    expect(run.stdout).toMatch(/^ {4}MI1\.1 /m);
  });

  it("a framework file by path", () => {
    const run = mopan(["framework", "show", "tests/fixtures/frameworks/valid.json", "--format", "json"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as ShowJson).counts).toMatchObject({ performanceAreas: 1, kpis: 2, mis: 4, elements: 7 });
  });

  it("an unknown framework exits 1 with a diagnostic, not a stack trace", () => {
    const run = mopan(["framework", "show", "no-such-framework"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown-framework");
    noStackTrace(run);
  });

  it("mopan-3.1-crisis shows the overlay's changes and more than 220 elements", () => {
    const json = mopan(["framework", "show", "mopan-3.1-crisis", "--format", "json"]);
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    const crisis = JSON.parse(json.stdout) as ShowJson;
    const base = JSON.parse(mopan(["framework", "show", "mopan-3.1", "--format", "json"]).stdout) as ShowJson;
    expect(crisis.extends).toMatchObject({ id: "mopan-3.1" });
    expect(crisis.counts.elements).toBeGreaterThan(220);
    expect(crisis.changes.length).toBeGreaterThan(0);
    if (!crisis.changes.some((c) => c.op === "retire")) expect(crisis.counts.elements).toBeGreaterThan(base.counts.elements);
    for (const change of crisis.changes) {
      if (change.op !== "retire")
        expect(
          crisis.items.some((i) => i.id === change.id),
          change.id,
        ).toBe(true);
      else
        expect(
          crisis.items.some((i) => i.id === change.id),
          change.id,
        ).toBe(false);
    }

    const text = mopan(["framework", "show", "mopan-3.1-crisis"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`What mopan-3.1-crisis changes in mopan-3.1 (${crisis.changes.length} changes):`);
    for (const change of crisis.changes) expect(text.stdout).toMatch(new RegExp(`^  [-+*~] ${change.op} +${change.id.replaceAll(".", "\\.")} `, "m"));
    const elements = /, (\d+) elements$/m.exec(text.stdout);
    expect(Number(elements?.[1])).toBeGreaterThan(220);
  });
});

describe("mopan framework validate", () => {
  const brokenFrameworks = readdirSync(join(ROOT, BROKEN_DIR))
    .filter((f) => f.endsWith(".json"))
    .sort();
  const brokenScales = readdirSync(join(ROOT, SCALES_DIR))
    .filter((f) => f.endsWith(".json") && f !== "valid.json")
    .sort();

  it("has the fixtures", () => {
    expect(brokenFrameworks.length).toBeGreaterThanOrEqual(20);
    expect(brokenScales).toEqual(["bands-coverage.json", "bands-gap.json", "bands-overlap.json"]);
  });

  /** The code the CLI must print: overlays' bases are fixtures the built-in registry cannot find. */
  const CLI_CODE: Record<string, string> = {
    "invalid-json": "invalid-json",
    "methodology-mismatch": "policy-scale-mismatch",
    "several-problems": "duplicate-id",
    "overlay-unknown-id": "unknown-base-framework",
    "overlay-duplicate-id": "unknown-base-framework",
    "overlay-wrong-parent": "unknown-base-framework",
    "overlay-kind-mismatch": "unknown-base-framework",
    "overlay-cycle-a": "unknown-base-framework",
    "overlay-cycle-b": "unknown-base-framework",
  };

  for (const name of [...brokenFrameworks.map((f) => `${BROKEN_DIR}/${f}`), ...brokenScales.map((f) => `${SCALES_DIR}/${f}`)]) {
    it(`${name} exits 1 with its diagnostic and no stack trace`, () => {
      const base = name.slice(name.lastIndexOf("/") + 1, -".json".length);
      const run = mopan(["framework", "validate", name]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`${name}`);
      expect(run.stdout).toMatch(new RegExp(` error ${CLI_CODE[base] ?? base}: `));
      expect(run.stdout).toMatch(/^\d+ error\(s\) found\.$/m);
      noStackTrace(run);
    });
  }

  it("prints the line and column of a problem in text output, and its pointer in JSON", () => {
    const run = mopan(["framework", "validate", `${BROKEN_DIR}/numbering-gap.json`]);
    expect(run.stdout).toBe(`${BROKEN_DIR}/numbering-gap.json:94:25 error numbering-gap: Numbering skips MI1.1.E3: found "MI1.1.E4".\n1 error(s) found.\n`);
    const json = JSON.parse(mopan(["framework", "validate", `${BROKEN_DIR}/numbering-gap.json`, "--format", "json"]).stdout);
    expect(json.diagnostics[0]).toMatchObject({ pointer: "/performanceAreas/0/kpis/0/mis/0/elements/2/id", line: 94, column: 25 });
  });

  it("--format github prints ::error workflow commands", () => {
    const run = mopan(["framework", "validate", `${BROKEN_DIR}/duplicate-id.json`, `${BROKEN_DIR}/invalid-json.json`, "--format", "github"]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^::error file=[^:]+(,line=\d+,col=\d+)?,title=[a-z-]+::\S/);
    expect(run.stdout).toContain(`::error file=${BROKEN_DIR}/duplicate-id.json,line=116,col=25,title=duplicate-id::Id "MI1.2.E2" is used twice`);
    expect(run.stdout).toContain(`::error file=${BROKEN_DIR}/invalid-json.json,line=5,col=3,title=invalid-json::`);
    expect(run.stdout).not.toContain("error(s) found");
    noStackTrace(run);
  });

  it("--format json reports the count and each diagnostic", () => {
    const run = mopan(["framework", "validate", `${BROKEN_DIR}/policy-scale-mismatch.json`, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { errors: number; warnings: number; diagnostics: { code: string; pointer: string }[] };
    expect(report.errors).toBe(2);
    expect(report.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ["policy-scale-mismatch", "/policy/flags/N~1E/score"],
      ["policy-scale-mismatch", "/policy/rounding/decimals"],
    ]);
  });

  it("valid files exit 0", () => {
    const files = ["tests/fixtures/frameworks/valid.json", `${SCALES_DIR}/valid.json`, "framework/mopan-3.1.json", "framework/rating-scales/mopan-3.1.json", "framework/mopan-3.1-crisis.json"];
    const run = mopan(["framework", "validate", ...files]);
    expect(run.stdout).toBe(`${files.length} file(s) valid.\n`);
    expect(run.status).toBe(0);
  });

  it("a missing file exits 1 with file-not-found", () => {
    const run = mopan(["framework", "validate", "tests/fixtures/frameworks/no-such-file.json"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("error file-not-found:");
    noStackTrace(run);
  });
});

describe("usage errors exit 2", () => {
  const cases: [string, string[], string][] = [
    ["an unknown subcommand", ["framework", "frobnicate"], 'unknown subcommand "frobnicate"'],
    ["an unknown option", ["framework", "list", "--bogus"], "--bogus"],
    ["an unknown option to validate", ["framework", "validate", "--strictly", `${BROKEN_DIR}/duplicate-id.json`], "--strictly"],
    ["an unknown format", ["framework", "list", "--format", "xml"], "--format must be one of text, json"],
    ["github format where it does not apply", ["framework", "show", "mopan-3.1", "--format", "github"], "--format must be one of text, json"],
    ["validate without files", ["framework", "validate"], "validate needs at least one file"],
    ["show without an id", ["framework", "show"], "show takes one framework id or file"],
    ["show with two ids", ["framework", "show", "mopan-3.1", "mopan-3.1"], "show takes one framework id or file"],
    ["an unknown command", ["frameworks"], 'unknown command "frameworks"'],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: ${args.join(" ")}`, () => {
      const run = mopan(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("Usage");
      expect(run.stdout).toBe("");
      noStackTrace(run);
    });
  }

  it("framework without a subcommand prints its usage and exits 2; a subcommand's --help exits 0", () => {
    const bare = mopan(["framework"]);
    expect(bare.status).toBe(2);
    expect(bare.stdout).toContain("mopan framework validate <file...>");
    const help = mopan(["framework", "list", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("mopan framework list");
  });
});

describe("the installed entry point (package.json bin)", () => {
  const bin = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin?: Record<string, string> }).bin?.["mopan"];
  const binPath = bin === undefined ? undefined : join(ROOT, bin);

  it("behaves exactly like dist/cli/main.js", () => {
    expect(bin).toBe("dist/bin/mopan.js");
    expect(existsSync(binPath!), `${binPath} is missing: npm run build makes it`).toBe(true);
    const commands: string[][] = [
      ["framework", "list", "--format", "json"],
      ["framework", "show", "mopan-3.1", "--format", "json"],
      ["framework", "validate", `${BROKEN_DIR}/several-problems.json`],
      ["framework", "validate", `${BROKEN_DIR}/invalid-json.json`, "--format", "github"],
      ["framework", "show", "no-such-framework"],
      ["framework", "frobnicate"],
    ];
    for (const args of commands) {
      const bundled = mopan(args, { cli: binPath! });
      expect(bundled, args.join(" ")).toEqual(mopan(args));
      noStackTrace(bundled);
    }
  });
});
