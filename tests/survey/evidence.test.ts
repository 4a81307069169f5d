/**
 * The survey stream end to end: derivation by the rule, the example assessment scored with three
 * streams, provenance that follows the response file, validation at the cell, and no respondent id
 * in any output. CLI tests run the build (`npm run build` first).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { Registry } from "../../src/io/registry.js";
import { score } from "../../src/scoring/score.js";
import { checkSurveyRule, deriveSurveyEvidence } from "../../src/survey/derive.js";
import { surveyStatistics } from "../../src/survey/statistics.js";
import { EXAMPLE, OPTIONS, ROOT, RULE, type Written, question, respondent } from "./support.js";

const MAIN = join(ROOT, "dist/cli/main.js");
/** The built CLI as a user runs it. */
const mopan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
/** The same command line in this process (`run`), for the many damaged-input cases. */
const mopanHere = async (...args: string[]) => {
  let stdout = "";
  let stderr = "";
  const code = await run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false });
  return { code, stdout, stderr };
};
const scratch = mkdtempSync(join(tmpdir(), "mopan-survey-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let copies = 0;
/** A copy of the example assessment to damage. */
const copyOfExample = (): string => {
  const dir = join(scratch, `example-${++copies}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
};
const FILES = { responses: { file: "r.csv", sha256: "sha256:r" }, questionnaire: { file: "q.csv", sha256: "sha256:q" } };

describe("the rule from statistics to suggested scores", () => {
  const derive = (answers: Written[], targets = ["MI1.1.E1", "MI1.1.E2"]) =>
    deriveSurveyEvidence(
      surveyStatistics(
        [question("Q1", targets)],
        answers.map((w) => respondent("G", { Q1: w })),
        OPTIONS,
      ),
      RULE,
      { title: "S" },
      FILES,
      (id) => id === "MI9.1",
    );

  it("picks the first threshold the share agreeing reaches: 8 of 10 is exactly 0.8, score 4; 7 of 10 is 3", () => {
    const eight = derive([4, 4, 5, 5, 6, 6, 6, 6, 1, 2, "dk"]);
    expect(eight.evidence[0]!.suggestedScores).toEqual({ "MI1.1.E1": 4, "MI1.1.E2": 4 });
    const seven = derive([4, 4, 5, 5, 6, 6, 6, 3, 1, 2]);
    expect(seven.evidence[0]!.suggestedScores).toEqual({ "MI1.1.E1": 3, "MI1.1.E2": 3 });
    expect(derive([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).evidence[0]!.suggestedScores).toEqual({ "MI1.1.E1": 0, "MI1.1.E2": 0 });
  });

  it("uses the results thresholds for a results MI (1-4: no 0)", () => {
    expect(derive([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], ["MI9.1"]).evidence[0]!.suggestedScores).toEqual({ "MI9.1": 1 });
  });

  it("gives no suggestion below the declared minimum of substantive answers, and says so", () => {
    const nine = derive([6, 6, 6, 6, 6, 6, 6, 6, 6, "dk", "dk", "dk"]);
    expect(nine.evidence).toEqual([]);
    expect(nine.outcomes[0]).toMatchObject({ question: "Q1", n: 9, score: null });
    expect(nine.outcomes[0]!.reason).toContain("at least 10");
  });

  it("is checked against the framework's scales: thresholds highest first, scores on the scale", () => {
    const policy = new Registry().framework("mopan-3.1").value!.policy;
    expect(checkSurveyRule(RULE, policy, "rule.json")).toEqual([]);
    const bad = {
      ...RULE,
      thresholds: [
        { atLeast: 0.5, score: 2 },
        { atLeast: 0.6, score: 5 },
        { atLeast: 0, score: 1.5 },
      ],
    };
    expect(checkSurveyRule(bad, policy, "rule.json").map((d) => `${d.code} ${d.pointer}`)).toEqual([
      "thresholds-out-of-order /thresholds/1/atLeast",
      "score-out-of-range /thresholds/1/score",
      "score-out-of-range /thresholds/2/score",
    ]);
  });

  it("records its provenance: files and hashes, rule, n and interval", () => {
    const ev = derive([4, 4, 5, 5, 6, 6, 6, 3, 1, 2, "dk"]).evidence[0]!;
    expect(ev).toMatchObject({ id: "survey-Q1", stream: "survey", quote: "Statement Q1", elements: ["MI1.1.E1", "MI1.1.E2"] });
    expect(ev.derivation).toMatchObject({
      method: "survey",
      question: "Q1",
      rule: { id: "survey-share-agreeing", version: "1.0.0", provenance: "project" },
      responses: FILES.responses,
      questionnaire: FILES.questionnaire,
      responsesCount: 11,
      n: 10,
      statistic: "shareAgreeing",
      value: 0.7,
      exact: "7/10",
      interval: { method: "Wilson score", level: 0.95, low: 0.3968, high: 0.8922 },
    });
  });
});

describe("the synthetic example assessment", () => {
  const registry = new Registry();

  it("scores with three streams, the survey stream derived from the responses", () => {
    const prepared = prepareAssessment(EXAMPLE, registry);
    expect(prepared.diagnostics).toEqual([]);
    const derived = prepared.assessment!.evidence.filter((e) => e.stream === "survey");
    expect(derived.map((e) => e.id)).toEqual(prepared.survey!.input.questions.map((q) => `survey-${q.id}`));
    expect(derived.every((e) => e.derivation?.responses.sha256.startsWith("sha256:"))).toBe(true);
    const result = score(prepared.framework!, prepared.scale!, prepared.assessment!);
    const mi51 = result.mis.find((m) => m.id === "MI5.1")!;
    expect(mi51.confidence.basis.streams).toEqual(["document", "interview", "survey"]);
    expect(mi51.confidence.computed).toBe("high");
    // Q09 contradicts the documents on MI6.7.E2 and E3.
    expect(result.conflicts.map((c) => c.id)).toEqual(["MI6.7.E2", "MI6.7.E3"]);
    expect(result.conflicts[0]!.streams).toMatchObject({ document: 4, survey: 0 });
  });

  it("changing one response changes the derived evidence and its provenance hash", () => {
    const dir = copyOfExample();
    const before = prepareAssessment(dir, registry);
    const file = join(dir, "survey-responses.csv");
    const lines = readFileSync(file, "utf8").split("\n");
    // The first respondent's answer to Q01 (column 4) becomes "Strongly disagree".
    const cells = lines[1]!.split(",");
    const was = cells[3];
    cells[3] = "Strongly disagree";
    expect(was).not.toBe("Strongly disagree");
    lines[1] = cells.join(",");
    writeFileSync(file, lines.join("\n"));
    const after = prepareAssessment(dir, registry);
    expect(after.diagnostics).toEqual([]);
    const q01 = (p: typeof before) => p.assessment!.evidence.find((e) => e.id === "survey-Q01")!;
    expect(q01(after).derivation!.responses.sha256).not.toBe(q01(before).derivation!.responses.sha256);
    expect(q01(after).derivation!.exact).not.toBe(q01(before).derivation!.exact);
    expect(q01(after).summary).not.toBe(q01(before).summary);
    const hash = (p: typeof before) => score(p.framework!, p.scale!, p.assessment!).provenance.assessmentHash;
    expect(hash(after)).not.toBe(hash(before));
  });

  it("is reproduced byte for byte by its seeded generator", () => {
    const out = join(scratch, "generated");
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/generate-survey-example.mjs"), "--out", out], { encoding: "utf8" });
    expect(r.status).toBe(0);
    for (const name of readdirSync(EXAMPLE)) expect(readFileSync(join(out, name), "utf8"), name).toBe(readFileSync(join(EXAMPLE, name), "utf8"));
  });
});

describe("mopan survey and mopan score on the command line", () => {
  if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  const ids = readFileSync(join(EXAMPLE, "survey-responses.csv"), "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split(",")[0]!);

  it("prints the statistics in every format, the same bytes every run, with no respondent id and no small group", () => {
    for (const format of ["text", "json", "csv", "md"]) {
      const a = mopan("survey", EXAMPLE, "--format", format, "--by", "group");
      expect(a.code, a.stderr).toBe(0);
      if (format === "json") expect(mopan("survey", EXAMPLE, "--format", format, "--by", "group").stdout).toBe(a.stdout);
      for (const id of ids) expect(a.stdout).not.toContain(id);
      expect(a.stdout).not.toContain("Academia");
      expect(a.stdout).not.toContain("Private sector");
      expect(a.stdout).toContain("Government");
    }
    const json = JSON.parse(mopan("survey", EXAMPLE, "--format", "json", "--by", "group").stdout);
    expect(json.suppressed).toEqual({ groups: 2, respondents: 7 });
    expect(json.groups.map((g: { name: string }) => g.name)).toEqual(["Donor", "Government", "NGO", "UN and multilateral"]);
    expect(json.questions).toHaveLength(12);
    expect(json.questions[0].cells[0]).toMatchObject({ group: "All respondents", responses: 320 });
  });

  it("without --by shows only the totals; --by region groups by region", () => {
    const total = JSON.parse(mopan("survey", EXAMPLE, "--format", "json").stdout);
    expect(total.questions[0].cells).toHaveLength(1);
    const region = JSON.parse(mopan("survey", EXAMPLE, "--format", "json", "--by", "region").stdout);
    expect(region.groups.map((g: { name: string }) => g.name)).toEqual(["East", "North", "South", "West"]);
    expect(mopan("survey", EXAMPLE, "--by", "country").code).toBe(2);
  });

  it("score lists the streams per MI and the survey-document conflict; no output names a respondent", () => {
    const text = mopan("score", EXAMPLE);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/MI5\.1 +document, interview, survey +survey and documents: no conflict/);
    expect(text.stdout).toMatch(/MI6\.7 +document, interview, survey +survey and documents conflict on MI6\.7\.E2 \(survey 0, document 4\)/);
    const outputs = [text.stdout, mopan("score", EXAMPLE, "--format", "json").stdout, mopan("report", EXAMPLE).stdout, mopan("validate", EXAMPLE).stdout];
    for (const out of outputs) for (const id of ids) expect(out).not.toContain(id);
  });
});

describe("validation of the survey files, at their cell", () => {
  const damage = (file: string, edit: (text: string) => string): string => {
    const dir = copyOfExample();
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
    return dir;
  };
  const problems = async (dir: string) => {
    const r = await mopanHere("validate", dir, "--format", "json");
    return {
      code: r.code,
      list: JSON.parse(r.stdout).diagnostics as { code: string; file: string; line?: number; column?: number; received?: string; severity: string; message: string }[],
      text: r.stdout,
    };
  };

  it("an unknown question column, an answer outside the scale and a duplicate respondent", async () => {
    const dir = damage("survey-responses.csv", (t) => {
      const lines = t.split("\n");
      lines[0] = lines[0]!.replace("Q12", "Q99");
      lines[2] = lines[2]!.replace(/,[^,]*$/, ",Mostly yes");
      lines[5] = lines[1]!; // the first respondent again
      return lines.join("\n");
    });
    const { code, list, text } = await problems(dir);
    expect(code).toBe(1);
    const byCode = (c: string) => list.filter((d) => d.code === c);
    expect(byCode("unknown-question")[0]).toMatchObject({ line: 1, received: "Q99" });
    // Q12's column is now unknown, so the questionnaire's Q12 has no column.
    expect(byCode("missing-column")[0]!.message).toContain("Q12");
    expect(byCode("duplicate-respondent")[0]).toMatchObject({ line: 6, column: 1 });
    expect(byCode("duplicate-respondent")[0]!.message).toContain("line 2");
    const id = readFileSync(join(EXAMPLE, "survey-responses.csv"), "utf8").split("\n")[1]!.split(",")[0]!;
    expect(text).not.toContain(id);
    const outside = damage("survey-responses.csv", (t) =>
      t
        .split("\n")
        .map((l, i) => (i === 2 ? l.replace(/,[^,]*$/, ",Mostly yes") : l))
        .join("\n"),
    );
    const o = (await problems(outside)).list.find((d) => d.code === "answer-outside-scale")!;
    expect(o).toMatchObject({ line: 3, received: "Mostly yes" });
    expect(o.column).toBeGreaterThan(1);
  });

  it("a question mapped to an unknown element", async () => {
    const dir = damage("survey-questions.csv", (t) => t.replace("MI5.1.E1", "MI5.1.E99"));
    const d = (await problems(dir)).list.find((x) => x.code === "unknown-element")!;
    expect(d).toMatchObject({ line: 2, received: "MI5.1.E99" });
    expect(d.file).toMatch(/survey-questions\.csv$/);
  });

  it("long responses read the same statistics as wide ones", () => {
    const dir = copyOfExample();
    const [head, ...rows] = readFileSync(join(dir, "survey-responses.csv"), "utf8").trimEnd().split("\n");
    const questions = head!.split(",").slice(3);
    const long = ["respondent,partner_group,region,question,answer"];
    for (const row of rows) {
      const cells = row.split(",");
      questions.forEach((q, i) => long.push([...cells.slice(0, 3), q.toLowerCase(), cells[3 + i]].join(",")));
    }
    // Rows in reverse order, question ids in lower case: neither matters.
    writeFileSync(join(dir, "survey-responses.csv"), [long[0], ...long.slice(1).reverse()].join("\n") + "\n");
    const wide = JSON.parse(mopan("survey", EXAMPLE, "--format", "json", "--by", "group").stdout);
    const fromLong = JSON.parse(mopan("survey", dir, "--format", "json", "--by", "group").stdout);
    expect(fromLong.questions).toEqual(wide.questions);
  });

  it("every group suppressed is a warning; evidence with a hand-written derivation is refused", async () => {
    const dir = damage("survey.json", (t) => t.replace('"minGroupSize": 5', '"minGroupSize": 200'));
    const warned = await problems(dir);
    expect(warned.code).toBe(0);
    expect(warned.list.find((d) => d.code === "all-groups-suppressed")).toMatchObject({ severity: "warning", line: 1 });
    const copied = damage("assessment.json", (t) => {
      const a = JSON.parse(t);
      a.evidence.push({ id: "copied", stream: "survey", source: { title: "x" }, elements: ["MI5.1.E1"], derivation: { method: "survey" } });
      return JSON.stringify(a, null, 2);
    });
    expect((await problems(copied)).list.map((d) => d.code)).toContain("derivation-by-hand");
  });
});

describe("hostile or broken survey files end in a diagnostic, never a crash", () => {
  const cases: [string, (dir: string) => void][] = [
    ["no responses file", (d) => rmSync(join(d, "survey-responses.csv"))],
    [
      "a folder where the responses should be",
      (d) => {
        rmSync(join(d, "survey-responses.csv"));
        cpSync(join(d, "survey.json"), join(d, "survey-responses.csv", "x"), { recursive: true });
      },
    ],
    ["survey.json is not JSON", (d) => writeFileSync(join(d, "survey.json"), "{ title: ")],
    ["survey.json has an unknown property and a rule id with a path", (d) => writeFileSync(join(d, "survey.json"), JSON.stringify({ title: "x", rule: "../../etc/passwd", extra: 1 }))],
    ["an empty responses file", (d) => writeFileSync(join(d, "survey-responses.csv"), "")],
    ["binary responses", (d) => writeFileSync(join(d, "survey-responses.csv"), Buffer.from([0, 1, 2, 3, 255]))],
    ["an unclosed quote", (d) => writeFileSync(join(d, "survey-responses.csv"), 'respondent,partner_group,Q01\n"a,b,c\n')],
    [
      "__proto__ and constructor as ids and columns",
      (d) => {
        writeFileSync(join(d, "survey-questions.csv"), "id,statement,elements\n__proto__,x,MI5.1.E1\nconstructor,y,constructor\n");
        writeFileSync(join(d, "survey-responses.csv"), "respondent,partner_group,__proto__,constructor,prototype\nr1,G,=cmd|' /C calc'!A0,1,2\n");
      },
    ],
    ["an unknown response scale", (d) => writeFileSync(join(d, "survey-questions.csv"), "id,statement,elements,scale\nQ01,x,MI5.1.E1,no-such-scale\n")],
    ["a long file with a second answer and a group change", (d) => writeFileSync(join(d, "survey-responses.csv"), "respondent,partner_group,question,answer\nr1,A,Q01,Agree\nr1,B,Q01,Agree\n")],
  ];
  for (const [name, damage] of cases) {
    it(name, async () => {
      const dir = copyOfExample();
      damage(dir);
      for (const args of [
        ["survey", dir],
        ["score", dir],
      ]) {
        const r = await mopanHere(...args);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(r.stderr.length).toBeGreaterThan(0);
      }
    });
  }
});

describe("derived evidence is never stored", () => {
  it("export csv refuses evidence that carries a derivation instead of dropping it", async () => {
    const dir = copyOfExample();
    const file = join(dir, "assessment.json");
    const a = JSON.parse(readFileSync(file, "utf8"));
    const derived = prepareAssessment(EXAMPLE, new Registry()).assessment!.evidence.find((e) => e.id === "survey-Q01")!;
    a.evidence.push(derived);
    writeFileSync(file, JSON.stringify(a));
    const r = await mopanHere("export", "csv", dir, "--out", join(dir, "out"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not-representable");
    expect(existsSync(join(dir, "out", "evidence.csv"))).toBe(false);
  });
});
