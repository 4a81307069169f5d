/**
 * The content side of issue #11's reproductions, each with the real CLI: symlinks out of an
 * assessment folder, NUL and lone surrogates, depth limits, control characters on terminals and in
 * CI logs, Markdown structure, band limits finer than the scale, look-alike evidence ids and
 * contradictory crosswalks.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { tree } from "../fuzz/support.js";
import { IOM, ROOT, expectNoCrash, mopan, scratch } from "./support.js";

const { fresh } = scratch("content");

type Doc = Record<string, unknown> & { judgements: Record<string, unknown>[]; evidence: Record<string, unknown>[] };
const iomDoc = (): Doc => JSON.parse(readFileSync(join(IOM, "assessment.json"), "utf8")) as Doc;

/** An assessment folder holding `doc` as assessment.json. */
function folderWith(doc: unknown, label: string): string {
  const dir = fresh(label);
  writeFileSync(join(dir, "assessment.json"), JSON.stringify(doc, null, 2));
  return dir;
}

/** A split (JSON + CSV) copy of the IOM assessment. */
function splitCopy(label: string): string {
  const dir = fresh(label);
  expect(mopan(["export", "csv", IOM, "--out", dir]).status).toBe(0);
  return dir;
}

/** validate on `dir` fails with `code` and shows no line of /etc/passwd. */
function expectRefusedUnread(dir: string, code: string): void {
  const run = mopan(["validate", dir]);
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(code);
  expect(run.stdout).not.toContain("root:");
}

describe("symlinks out of an assessment folder are refused unread", () => {
  const SECRET = "ghp_SECRET_TOKEN_0123456789";

  it("evidence.csv -> a secret outside: validate --format github names the link, never the content", () => {
    const dir = splitCopy("secret");
    const secret = join(fresh("outside"), "token.txt");
    writeFileSync(secret, `${SECRET},x\nmore\n`);
    unlinkSync(join(dir, "evidence.csv"));
    symlinkSync(secret, join(dir, "evidence.csv"));
    const run = mopan(["validate", dir, "--format", "github"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("symlink-outside");
    expect(run.stdout + run.stderr).not.toContain("SECRET");
    expectNoCrash(run);
  });

  it("scores.csv -> /etc/passwd: not read (no line of it in any output)", () => {
    const dir = splitCopy("passwd");
    unlinkSync(join(dir, "scores.csv"));
    symlinkSync("/etc/passwd", join(dir, "scores.csv"));
    for (const args of [
      ["validate", dir],
      ["score", dir],
    ]) {
      const run = mopan(args);
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain("symlink-outside");
      expect(run.stdout + run.stderr).not.toMatch(/root:|\/bin\/(ba)?sh/);
    }
  });

  it("a JSON file in a folder given to validate is treated the same way (no longer skipped silently)", () => {
    const dir = fresh("json-link");
    symlinkSync("/etc/passwd", join(dir, "x.json"));
    expectRefusedUnread(dir, "symlink-outside");
  });

  it("a survey.json that names a file outside its folder (../../etc/passwd): refused unread", () => {
    const dir = fresh("survey");
    cpSync(join(ROOT, "assessments/synthetic-survey-example"), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "survey.json"), "utf8")) as Record<string, unknown>;
    config["responses"] = "../".repeat(12) + "etc/passwd";
    writeFileSync(join(dir, "survey.json"), JSON.stringify(config));
    expectRefusedUnread(dir, "path-outside");
  });

  it("a link that stays inside the folder is read like the file it names", () => {
    const dir = splitCopy("inside");
    writeFileSync(join(dir, "evidence-data.csv"), readFileSync(join(dir, "evidence.csv")));
    unlinkSync(join(dir, "evidence.csv"));
    symlinkSync("evidence-data.csv", join(dir, "evidence.csv"));
    expect(mopan(["validate", dir]).status).toBe(0);
  });

  it("an unknown header is quoted as a short, escaped excerpt, not the whole line", () => {
    const dir = splitCopy("excerpt");
    const csv = readFileSync(join(dir, "scores.csv"), "utf8").split("\n");
    csv[0] = `${csv[0]},${"\u001b]0;pwned\u0007"}${"x".repeat(300)}`;
    writeFileSync(join(dir, "scores.csv"), csv.join("\n"));
    const run = mopan(["validate", dir, "--format", "github"]);
    expect(run.status).toBe(1);
    const line = run.stdout.split("\n").find((l) => l.includes("unknown-column"))!;
    expect(line).toBeDefined();
    expect(line).not.toContain("x".repeat(41));
    expect(line).toContain("…");
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe("NUL and lone surrogates are refused everywhere (decided once: validate refuses them)", () => {
  for (const [label, text] of [
    ["NUL", "before\u0000after"],
    ["lone surrogate", "before\ud800after"],
  ] as const) {
    it(`${label} in a rationale: validate fails, and an in-place export leaves the folder as it was`, () => {
      const doc = iomDoc();
      doc.judgements[0]!["rationale"] = text;
      const dir = folderWith(doc, label.replace(" ", "-"));
      const validate = mopan(["validate", dir]);
      expect(validate.status).toBe(1);
      expect(validate.stdout).toContain("forbidden-character");
      const before = tree(dir);
      const exported = mopan(["export", "csv", dir, "--force"]);
      expect(exported.status).toBe(1);
      expect(tree(dir)).toEqual(before);
      expectNoCrash(exported);
    });
  }

  it("a lone surrogate in a CSV cell cannot arrive as UTF-8; a NUL byte in a CSV file is refused as binary", () => {
    const dir = splitCopy("csv-nul");
    writeFileSync(join(dir, "scores.csv"), `${readFileSync(join(dir, "scores.csv"), "utf8")}MI1.1.E1,,3,a\u0000b,\n`);
    const run = mopan(["validate", dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("binary-file");
  });
});

describe("depth limits are data and end in diagnostics, not stack overflows", () => {
  it("an overlay chain 40 deep: overlay-too-deep", () => {
    const dir = fresh("overlays");
    const crisis = JSON.parse(readFileSync(join(ROOT, "framework/mopan-3.1-crisis.json"), "utf8")) as Record<string, unknown>;
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(dir, `o${i}.json`), JSON.stringify({ ...crisis, id: `o${i}`, version: "1.0.0", extends: i === 0 ? "mopan-3.1" : `o${i - 1}`, changes: [] }));
    }
    const run = mopan(["validate", join(dir, "o39.json"), "--frameworks", dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("overlay-too-deep");
    expectNoCrash(run);
  });

  it("a folder tree 40 deep given to validate: folder-too-deep", () => {
    let dir = fresh("tree");
    const top = dir;
    for (let i = 0; i < 40; i++) dir = join(dir, "d");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "x.json"), "{}");
    const run = mopan(["validate", top]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("folder-too-deep");
    expectNoCrash(run);
  });
});

describe("control characters never reach a terminal or a CI log", () => {
  const OSC_TITLE = "\u001b]0;owned\u0007";
  const OSC_CLIPBOARD = "\u001b]52;c;cm0gLXJmIH4=\u0007";
  const CLEAR = "\u001b[2J";
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it("score, validate (text and github) and report's Wrote message escape them", () => {
    const doc = iomDoc();
    doc["title"] = `Title ${OSC_TITLE}`;
    (doc["organisation"] as Record<string, unknown>)["name"] = `Org ${CLEAR}`;
    doc.judgements.push({ id: `MI1.1.E9${OSC_CLIPBOARD}`, score: 3 });
    const dir = folderWith(doc, "escape");
    for (const args of [
      ["validate", dir],
      ["validate", dir, "--format", "github"],
    ]) {
      const run = mopan(args);
      expect(run.stdout + run.stderr).toContain("\\x1b");
      expect(run.stdout + run.stderr).not.toMatch(RAW);
    }
    doc.judgements.pop();
    const clean = folderWith(doc, "escape-score");
    const score = mopan(["score", clean]);
    expect(score.status).toBe(0);
    expect(score.stdout).toContain("\\x1b]0;owned\\x07");
    expect(score.stdout + score.stderr).not.toMatch(RAW);
    const out = join(fresh(`wrote${CLEAR}`), "r.html");
    const report = mopan(["report", clean, "--out", out]);
    expect(report.status).toBe(0);
    expect(report.stderr).toContain("Wrote");
    expect(report.stderr).not.toMatch(RAW);
  });

  it("framework show escapes a framework's title", () => {
    const dir = fresh("framework");
    const framework = JSON.parse(readFileSync(join(ROOT, "framework/mopan-3.1.json"), "utf8")) as Record<string, unknown>;
    framework["title"] = `MOPAN ${OSC_TITLE}`;
    writeFileSync(join(dir, "mopan-3.1.json"), JSON.stringify(framework));
    const run = mopan(["framework", "show", join(dir, "mopan-3.1.json")]);
    expect(run.stdout).toContain("\\x1b]0;owned");
    expect(run.stdout + run.stderr).not.toMatch(RAW);
  });

  it("data formats sent to a pipe stay byte for byte (JSON escapes them itself)", () => {
    const doc = iomDoc();
    doc.judgements[0]!["rationale"] = `tab\there ${CLEAR}`;
    const run = mopan(["import", "csv", folderWith(doc, "data"), "--out", "-"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Doc).judgements[0]!["rationale"]).toBe(`tab\there ${CLEAR}`);
  });
});

describe("Markdown: no line terminator in data changes the document's structure (markdown-it)", () => {
  const md = new MarkdownIt();
  const shape = (text: string) => {
    const counts: Record<string, number> = {};
    for (const token of md.parse(text, {})) counts[token.type] = (counts[token.type] ?? 0) + 1;
    return counts;
  };

  it("a lone CR, VT, FF, NEL, U+2028 and U+2029 in rationales and quotes forge no heading, list, code block or row", () => {
    const doc = iomDoc();
    const attacks = ["\r# Forged heading", "\r```\ncode", "\r- forged item", "\u000b1. forged", "\u000c> quote", "\u0085## NEL", "\u2028### LS", "\u2029|a|b|", "\r\n---\r\nrow|x"];
    doc.judgements.forEach((j, i) => (j["rationale"] = `${String(j["rationale"] ?? "")}${attacks[i % attacks.length]}`));
    doc.evidence.forEach((e, i) => (e["quote"] = `${String(e["quote"] ?? "")}${attacks[(i + 3) % attacks.length]}`));
    const folder = folderWith(doc, "markdown");
    // --full lists every element in a row, so the two documents must have the same shape.
    const plain = mopan(["report", IOM, "--format", "md", "--full"]);
    const forged = mopan(["report", folder, "--format", "md", "--full"]);
    expect(forged.status).toBe(0);
    expect(forged.stdout).toContain("forged item");
    expect(shape(forged.stdout)).toEqual(shape(plain.stdout));
    expect(forged.stdout).not.toMatch(/^#+ (Forged|NEL|LS)/m);
    // By default, elements with nothing to say collapse by their shared rationale, so the changed
    // rationales give other runs (paragraphs); every other block is the same.
    const blocks = (text: string) => Object.fromEntries(Object.entries(shape(text)).filter(([type]) => !/^(paragraph_|inline)/.test(type)));
    const short = mopan(["report", folder, "--format", "md"]);
    expect(short.status).toBe(0);
    expect(blocks(short.stdout)).toEqual(blocks(mopan(["report", IOM, "--format", "md"]).stdout));
    expect(short.stdout).not.toMatch(/^#+ (Forged|NEL|LS)/m);
  });
});

describe("band limits finer than the scale's decimals are refused", () => {
  it("min 2.505 at 2 decimals: validate --strict exits 1 with band-finer-than-scale", () => {
    const dir = fresh("band");
    const scale = JSON.parse(readFileSync(join(ROOT, "framework/rating-scales/mopan-3.1.json"), "utf8")) as { bands: { min: number }[]; $schema?: string };
    delete scale.$schema;
    scale.bands[1]!.min = 2.505;
    writeFileSync(join(dir, "scale.json"), JSON.stringify(scale));
    const run = mopan(["validate", join(dir, "scale.json"), "--strict"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("band-finer-than-scale");
  });
});

describe("look-alike evidence ids and contradictory crosswalks are reported", () => {
  for (const [label, twin] of [
    ["case", "EV-01"],
    ["zero-width space", "ev-\u200b01"],
    ["no-break space", "ev\u00a001"],
    ["normalisation", "ev-0\uff11"],
  ] as const) {
    it(`evidence ids that differ only by ${label}: a warning`, () => {
      const doc = iomDoc();
      const first = doc.evidence[0]!;
      const base = String(first["id"]);
      first["id"] = label === "no-break space" ? "ev 01" : base;
      doc.evidence.push({ ...first, id: twin });
      doc.judgements[0]!["evidence"] = [twin];
      const run = mopan(["validate", folderWith(doc, `lookalike-${label.replace(/ /g, "-")}`)]);
      expect(run.stdout).toContain("look-alike-evidence-id");
    });
  }

  it("a crosswalk whose MI map moves an MI to another KPI than the KPI map says: a warning", () => {
    const dir = fresh("crosswalk");
    const crosswalk = JSON.parse(readFileSync(join(ROOT, "framework/crosswalks/mopan-3.1--mopan-3.1-crisis.json"), "utf8")) as Record<string, Record<string, string | null>> & {
      changed?: Record<string, string>;
    };
    delete (crosswalk as Record<string, unknown>)["$schema"];
    crosswalk["mis"]!["MI1.1"] = "MI2.1";
    if (crosswalk.changed) delete crosswalk.changed["MI2.1"];
    crosswalk["mis"]!["MI2.1"] = null;
    writeFileSync(join(dir, "crosswalk.json"), JSON.stringify(crosswalk));
    const run = mopan(["validate", join(dir, "crosswalk.json")]);
    expect(run.stdout).toContain("crosswalk-contradiction");
    expect(run.stdout).toContain('MI "MI1.1" (of KPI "KPI1") maps to "MI2.1" (of KPI "KPI2")');
  });
});

describe("the shipped assessments are untouched by these checks", () => {
  it("validate --strict on framework/ and assessments/ still passes", () => {
    const run = mopan(["validate", join(ROOT, "framework"), join(ROOT, "assessments"), "--strict"]);
    expect(run.status, run.stdout).toBe(0);
  });
});
