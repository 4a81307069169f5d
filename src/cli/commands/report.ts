import { basename, dirname, extname, join } from "node:path";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import { type Output, writeOutputs } from "../../io/atomic-write.js";
import { display } from "../../io/registry.js";
import { performanceChartSvg } from "../../report/chart.js";
import { printTemplates, renderHtmlReport } from "../../report/html.js";
import { renderMarkdownReport } from "../../report/markdown.js";
import type { ReportOptions } from "../../report/model.js";
import type { SurveySectionInput } from "../../report/survey-html.js";
import { surveyContext } from "../../render/survey.js";
import { score } from "../../scoring/score.js";
import { type Terminal, EXIT, STDOUT, UsageError, oneOf, parse } from "../command.js";
import { type LoadedAssessment, assessmentFiles, loadAssessment } from "../load-assessment.js";
import { printPdf } from "../pdf.js";

const USAGE = `Usage: mopan report <assessment folder or file> [--format html|md|pdf] [--out <file>] [--full] [--paper a4|letter] [--force] [--frameworks <dir>]

Writes a report of an assessment: provenance, performance chart, KPI table, every MI with its
elements, rationale and evidence, coverage, strengths and weaknesses.
  --format      html (default): one self-contained file, no scripts, no external assets
                md: Markdown; with --out, the chart is written beside it as <name>.svg
                pdf: printed by headless Chromium (needs --out, playwright-core and Chromium;
                     CHROMIUM_PATH names the browser, default /usr/bin/chromium)
  --out         file to write (html and md go to standard output without it; - is standard output)
  --full        list every element, also those with nothing recorded (by default
                runs of N/E or unjudged elements without rationale are one line per MI)
  --paper       a4 (default) or letter, for pdf
  --force       overwrite existing files
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
Exit codes: 0 written, 1 invalid assessment, existing file or no PDF renderer, 2 usage error.
`;

export async function reportCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: "string", short: "f" },
      out: { type: "string", short: "o" },
      force: { type: "boolean" },
      full: { type: "boolean" },
      paper: { type: "string" },
      frameworks: { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "html", ["html", "md", "pdf"], "format", USAGE);
  const paper = oneOf(values.paper ?? "a4", ["a4", "letter"], "paper", USAGE);
  const reportOptions = { full: values.full === true };
  if (positionals.length !== 1) throw new UsageError("report takes exactly one assessment.", USAGE);
  const out = values.out;
  if (format === "pdf" && out === undefined) throw new UsageError("--format pdf needs --out <file> (- for standard output).", USAGE);
  if (out !== undefined && out.trim() === "") throw new UsageError("--out needs a file name.", USAGE);
  const toStdout = out === undefined || out === STDOUT;
  if (format === "pdf" && toStdout && io.stdoutIsTty) throw new UsageError("a PDF is not shown on a terminal; redirect standard output or give --out <file>.", USAGE);

  const prepared = await loadAssessment(positionals[0]!, io, "reported", values.frameworks);
  if (!prepared) return EXIT.invalid;
  const { assessment, framework, scale } = prepared;
  const result = score(framework, scale, assessment);
  const withSurvey = reportOptionsWithSurvey(prepared, reportOptions);

  const files: Output[] = [];
  const writeOptions = { force: values.force === true, inputs: assessmentFiles(positionals[0]!) };
  switch (format) {
    case "html": {
      const text = renderHtmlReport(result, framework, assessment, scale, withSurvey);
      if (toStdout) {
        io.data(text);
        return EXIT.ok;
      }
      files.push({ path: out, data: text });
      break;
    }
    case "md": {
      if (toStdout) {
        io.data(renderMarkdownReport(result, framework, assessment, scale, withSurvey));
        io.stderr("The chart is not included on standard output; give --out <file>.md to also write it as <file>.svg.\n");
        return EXIT.ok;
      }
      const svgPath = join(dirname(out), `${basename(out, extname(out))}.svg`);
      if (svgPath === out) throw new UsageError("--out for Markdown must not end in .svg (the chart is written as <name>.svg).", USAGE);
      files.push({ path: out, data: renderMarkdownReport(result, framework, assessment, scale, { ...withSurvey, chartFile: basename(svgPath) }) });
      files.push({ path: svgPath, data: `<?xml version="1.0" encoding="UTF-8"?>\n${performanceChartSvg(result, scale)}\n` });
      break;
    }
    case "pdf": {
      // Refuse early, before starting a browser, a target that could not be written.
      const early = toStdout ? [] : await writeOutputs([{ path: out!, data: "" }], { ...writeOptions, dryRun: true });
      if (early.length > 0) {
        io.stderr(renderDiagnosticsText(early));
        return EXIT.invalid;
      }
      const pdf = await printPdf(renderHtmlReport(result, framework, assessment, scale, withSurvey), { paper, ...printTemplates(result, assessment) });
      if (typeof pdf === "string") {
        io.stderr(`mopan report: ${pdf}\n`);
        return EXIT.invalid;
      }
      if (toStdout) {
        io.data(pdf);
        return EXIT.ok;
      }
      files.push({ path: out!, data: pdf });
      break;
    }
  }
  const problems = await writeOutputs(files, writeOptions);
  if (problems.length > 0) {
    io.stderr(renderDiagnosticsText(problems));
    return EXIT.invalid;
  }
  io.stderr(`Wrote ${files.map((f) => display(f.path)).join(" and ")}.\n`);
  return EXIT.ok;
}

/** A report's options for a prepared assessment: the given ones, plus its partner survey when it has one. */
export function reportOptionsWithSurvey(prepared: Pick<LoadedAssessment, "survey">, options: ReportOptions): ReportOptions & { readonly survey?: SurveySectionInput } {
  const survey = prepared.survey;
  return survey ? { ...options, survey: { statistics: survey.statistics, context: surveyContext(survey), ...(survey.input.config.note ? { note: survey.input.config.note } : {}) } } : options;
}
