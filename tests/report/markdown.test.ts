import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { mdCell as mdText } from "../../src/render/score-md.js";
import { surveyContext } from "../../src/render/survey.js";
import { renderMarkdownReport } from "../../src/report/markdown.js";
import { score } from "../../src/scoring/score.js";
import { EXAMPLE } from "../survey/support.js";
import { PAYLOADS, fixtureJson, frameworkOf, iomOrFixture, registry, scaleOf, scoreRaw } from "./support.js";

/** Cells of a Markdown table row: split on pipes not escaped by a backslash. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === "\\") {
      cell += c + (row[i + 1] ?? "");
      i++;
    } else if (c === "|") {
      out.push(cell);
      cell = "";
    } else cell += c;
  }
  out.push(cell);
  return out.slice(1, -1);
}

/** Every table in the text: each row has as many cells as its header. */
function tables(md: string): { header: string; rows: string[] }[] {
  const found: { header: string; rows: string[] }[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("|") || !/^\|[-:|\s]+\|$/.test(lines[i + 1] ?? "")) continue;
    const table = { header: lines[i]!, rows: [] as string[] };
    let j = i + 2;
    while (j < lines.length && lines[j]!.startsWith("|")) table.rows.push(lines[j++]!);
    found.push(table);
    i = j;
  }
  return found;
}

describe("mdCell", () => {
  it("escapes pipes, HTML, links, emphasis, entities and line breaks", () => {
    expect(mdText("a | b")).toBe("a \\| b");
    expect(mdText("<script>x</script>")).toBe("\\<script\\>x\\</script\\>");
    expect(mdText("[a](javascript:x) ![i](y)")).toBe("\\[a\\](javascript:x) !\\[i\\](y)");
    expect(mdText("*a* _b_ `c` ~~d~~ # e")).toBe("\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ \\# e");
    expect(mdText("&lt;b&gt; &#60;")).toBe("\\&lt;b\\&gt; \\&\\#60;");
    expect(mdText("back\\slash | pipe")).toBe("back\\\\slash \\| pipe");
    expect(mdText("line one\nline two\r\nthree")).toBe("line one line two three");
  });
});

describe("the Markdown report", () => {
  it("has the sections, the chart reference and a row per KPI", () => {
    const s = iomOrFixture();
    const md = renderMarkdownReport(s.result, s.framework, s.assessment, s.scale, { chartFile: "report.svg" });
    for (const heading of ["## Provenance", "## Performance", "## KPI scores", "## Strengths and weaknesses", "## Coverage", "## Micro-indicators, elements and evidence"]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain("![Performance chart](report.svg)");
    expect(md).toContain("not official published figures");
    for (const kpi of s.result.kpis) expect(md).toMatch(new RegExp(`^\\| ${kpi.id} \\|`, "m"));
    for (const mi of s.result.mis) expect(md).toContain(`\n#### ${mi.id} `);
  });

  it("leaves out the image line without a chart file, and refuses odd chart file names", () => {
    const s = iomOrFixture();
    expect(renderMarkdownReport(s.result, s.framework, s.assessment, s.scale)).not.toContain("![");
    expect(renderMarkdownReport(s.result, s.framework, s.assessment, s.scale, { chartFile: "x).png (javascript:y" })).not.toContain("![");
  });

  it("escapes table pipes and HTML in assessment text: every table keeps its columns, no raw tag survives", () => {
    const framework = frameworkOf("mopan-3.1");
    const s = scoreRaw(fixtureJson(framework, { payload: true }), framework, scaleOf("mopan-3.1"));
    const md = renderMarkdownReport(s.result, s.framework, s.assessment, s.scale, { chartFile: "chart.svg" });
    const found = tables(md);
    expect(found.length).toBeGreaterThan(20);
    for (const t of found) {
      const width = cells(t.header).length;
      for (const row of t.rows) expect(cells(row), row.slice(0, 80)).toHaveLength(width);
    }
    // No unescaped "<" anywhere: raw HTML cannot start; no unescaped "[" in data: no links or images.
    const withoutEscapes = md.replace(/\\./g, "");
    expect(withoutEscapes).not.toContain("<");
    expect(withoutEscapes.replace("![Performance chart](chart.svg)", "")).not.toMatch(/\[|\]\(/);
    expect(md).toContain("\\<script\\>window.\\_\\_pwned=1\\</script\\>");
    expect(md).toContain("a \\| b \\|\\| c \\\\\\| d");
    expect(md).not.toContain(PAYLOADS.script);
  });
});

describe("the Markdown report of an assessment with a partner survey", () => {
  it("has the survey's section before the evidence: a heading per question and a table per question", () => {
    const prepared = prepareAssessment(EXAMPLE, registry);
    const survey = prepared.survey!;
    const result = score(prepared.framework!, prepared.scale!, prepared.assessment!);
    const md = renderMarkdownReport(result, prepared.framework!, prepared.assessment!, prepared.scale!, { survey: { statistics: survey.statistics, context: surveyContext(survey) } });
    const tokens = new MarkdownIt().parse(md, {});
    const headings = tokens.flatMap((t, i) => (t.type === "heading_open" ? [`${t.tag} ${tokens[i + 1]!.content}`] : []));
    const at = headings.indexOf(`h2 ${survey.input.config.title}`);
    expect(at).toBeGreaterThan(headings.indexOf("h2 Micro-indicators, elements and evidence"));
    expect(headings.indexOf("h2 Evidence")).toBeGreaterThan(at);
    const questions = headings.slice(at + 1, headings.indexOf("h2 Evidence"));
    expect(questions).toEqual(survey.statistics.questions.map((q) => expect.stringMatching(new RegExp(`^h3 ${q.id}: `))));
    const tables = tokens.filter((t) => t.type === "table_open").length;
    const without = new MarkdownIt().parse(renderMarkdownReport(result, prepared.framework!, prepared.assessment!, prepared.scale!), {}).filter((t) => t.type === "table_open").length;
    expect(tables - without).toBe(survey.statistics.questions.length);
  });
});
