/**
 * Writers (init, export csv, import csv, report) write atomically (a temporary file beside the
 * target, then a rename or link), never overwrite an existing file without --force, and leave
 * nothing behind when they fail; the reading commands never modify their inputs.
 */
import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, isTemporary, mopan, tree, writeTree, scratch } from "./support.js";

const { fresh } = scratch("writes");

/** A copy of the IOM assessment, as JSON only or split into assessment.json + CSV tables. */
async function iomCopy(kind: "json" | "csv"): Promise<string> {
  const dir = fresh(`iom-${kind}`);
  cpSync(join(ROOT, "assessments/iom-2023/assessment.json"), join(dir, "assessment.json"));
  if (kind === "csv") {
    const split = fresh("split");
    expect((await mopan("export", "csv", dir, "--out", split)).status).toBe(0);
    return split;
  }
  return dir;
}

const temporaries = (dir: string) => [...tree(dir).keys()].filter(isTemporary);

describe("writers go through one atomic writer", () => {
  it("no command writes a file except through src/io/atomic-write.ts", () => {
    const commands = join(ROOT, "src/cli/commands");
    for (const file of readdirSync(commands)) {
      const source = readFileSync(join(commands, file), "utf8");
      expect(source, file).not.toMatch(/\b(writeFileSync|appendFileSync|createWriteStream|writeSync|openSync)\b|fs\/promises/);
    }
    for (const file of ["init.ts", "convert.ts", "report.ts"]) expect(readFileSync(join(commands, file), "utf8"), file).toContain("writeOutputs(");
  });

  it("--force replaces a file by renaming a new one into place, never by rewriting it in place", async () => {
    const out = join(fresh("report"), "report.html");
    writeFileSync(out, "<p>old</p>\n");
    const keep = `${out}.old-link`;
    linkSync(out, keep); // a second name for the old file: an in-place rewrite would change it too
    const before = statSync(out).ino;
    const run = await mopan("report", join(ROOT, "assessments/iom-2023"), "--out", out, "--force");
    expect(run.status).toBe(0);
    expect(statSync(out).ino).not.toBe(before);
    expect(readFileSync(keep, "utf8")).toBe("<p>old</p>\n");
    expect(readFileSync(out, "utf8")).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
    expect(temporaries(join(out, ".."))).toEqual([]);
  });
});

describe("no existing file is overwritten without --force", () => {
  interface Case {
    readonly name: string;
    /** Prepares the folder; returns the command line and the files it would write. */
    readonly setup: (dir: string) => Promise<{ argv: string[]; outputs: string[] }>;
  }
  const cases: Case[] = [
    {
      name: "init",
      setup: async (dir) => ({
        argv: ["init", join(dir, "new"), "--framework", "mopan-3.1", "--org", "Org"],
        outputs: ["assessment.json", "scores.csv", "evidence.csv"].map((f) => join(dir, "new", f)),
      }),
    },
    {
      name: "export csv",
      setup: async (dir) => {
        const source = await iomCopy("json");
        return { argv: ["export", "csv", source, "--out", join(dir, "out")], outputs: ["scores.csv", "evidence.csv", "assessment.json"].map((f) => join(dir, "out", f)) };
      },
    },
    {
      name: "import csv",
      setup: async (dir) => {
        const source = await iomCopy("csv");
        return { argv: ["import", "csv", source, "--out", join(dir, "combined.json")], outputs: [join(dir, "combined.json")] };
      },
    },
    {
      name: "report html",
      setup: async (dir) => ({ argv: ["report", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "r.html")], outputs: [join(dir, "r.html")] }),
    },
    {
      name: "report md (and its chart)",
      setup: async (dir) => ({ argv: ["report", join(ROOT, "assessments/iom-2023"), "--format", "md", "--out", join(dir, "r.md")], outputs: [join(dir, "r.md"), join(dir, "r.svg")] }),
    },
  ];

  for (const { name, setup } of cases) {
    it(`${name}: refuses when any output exists, writes nothing; --force overwrites all`, async () => {
      const dir = fresh(name.replace(/\W+/g, "-"));
      const { argv, outputs } = await setup(dir);
      for (const existing of outputs) {
        // One output already there (each in turn): nothing at all is written.
        const round = fresh("round");
        const moved = outputs.map((o) => o.replace(dir, round));
        const args = argv.map((a) => a.replace(dir, round));
        writeTree(round, {});
        mkdirSync(join(moved[outputs.indexOf(existing)]!, ".."), { recursive: true });
        writeFileSync(moved[outputs.indexOf(existing)]!, "precious\n");
        const before = tree(round);
        const refused = await mopan(...args);
        expect(refused.status, refused.stderr).toBe(1);
        expect(refused.stderr).toContain("file-exists");
        expect(refused.stderr).toContain("--force");
        expect(tree(round)).toEqual(before);
        const forced = await mopan(...args, "--force");
        expect(forced.status, forced.stderr).toBe(0);
        for (const o of moved) expect(existsSync(o), o).toBe(true);
        expect(readFileSync(moved[outputs.indexOf(existing)]!, "utf8")).not.toBe("precious\n");
        expect(temporaries(round)).toEqual([]);
      }
    });
  }

  it("export into the assessment's own folder needs --force (its assessment.json is there)", async () => {
    const source = await iomCopy("json");
    const before = tree(source);
    const run = await mopan("export", "csv", source);
    expect(run.status).toBe(1);
    expect(tree(source)).toEqual(before);
  });
});

describe("a failed write leaves nothing behind", () => {
  it("an output whose folder is a file: exit 1, a message, no file and no temporary file", async () => {
    const dir = fresh("parent-file");
    writeFileSync(join(dir, "blocked"), "a file where a folder should be\n");
    const before = tree(dir);
    for (const argv of [
      ["report", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "blocked", "r.html")],
      ["report", join(ROOT, "assessments/iom-2023"), "--format", "md", "--out", join(dir, "blocked", "r.md")],
      ["export", "csv", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "blocked")],
      ["import", "csv", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "blocked", "c.json")],
      ["init", join(dir, "blocked", "new"), "--framework", "mopan-3.1", "--org", "Org"],
    ]) {
      const run = await mopan(...argv);
      expect(run.status, argv.join(" ")).toBe(1);
      expect(run.stderr).toMatch(/cannot be written|cannot access|not a directory|ENOTDIR|EEXIST/);
      expect(tree(dir)).toEqual(before);
    }
  });

  it("an output that is a folder: refused before anything is written", async () => {
    const dir = fresh("out-folder");
    mkdirSync(join(dir, "out", "assessment.json"), { recursive: true });
    const before = tree(dir);
    const run = await mopan("export", "csv", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "out"), "--force");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("not-a-file");
    expect(tree(dir)).toEqual(before); // not even scores.csv, which comes first
  });
});

describe("reading commands never modify their inputs", () => {
  it("validate, score (every format), report, compare, sensitivity, simulate, what-if, framework: the input tree hashes the same", async () => {
    for (const kind of ["json", "csv"] as const) {
      const a = await iomCopy(kind);
      const frameworks = fresh("frameworks");
      cpSync(join(ROOT, "tests/fixtures/frameworks/valid.json"), join(frameworks, "fixture-base.json"));
      const before = [tree(a), tree(frameworks)];
      const out = fresh("outputs");
      const commands = [
        ["validate", a, "--strict"],
        ["validate", a, "--format", "json"],
        ["validate", join(a, "assessment.json"), "--format", "github"],
        ...["text", "json", "csv", "md"].map((f) => ["score", a, "--format", f, "--detail", "--frameworks", frameworks]),
        ["report", a],
        ["report", a, "--format", "md"],
        ["report", a, "--out", join(out, `r-${kind}.html`)],
        ["report", a, "--format", "md", "--out", join(out, `r-${kind}.md`)],
        ["compare", a, a, "--format", "csv"],
        ["compare", a, join(ROOT, "assessments/iom-2023"), "--format", "html"],
        ["sensitivity", a],
        ["simulate", a, "--draws", "50"],
        ["what-if", a, "--set", "MI1.1.E1=2"],
        ["framework", "validate", join(frameworks, "fixture-base.json")],
        ["framework", "show", join(frameworks, "fixture-base.json")],
        ["import", "csv", a, "--out", "-"],
      ];
      for (const argv of commands) {
        const run = await mopan(...argv);
        expect([0, 1], `${argv.join(" ")}: ${run.stderr}`).toContain(run.status);
        expect([tree(a), tree(frameworks)], argv.join(" ")).toEqual(before);
      }
    }
  });
});
