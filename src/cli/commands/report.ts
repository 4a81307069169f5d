import { existsSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import { prepareAssessment } from "../../io/assessment-files.js";
import { type Output, writeOutputs } from "../../io/atomic-write.js";
import { Registry } from "../../io/registry.js";
import { performanceChartSvg } from "../../report/chart.js";
import { renderHtmlReport } from "../../report/html.js";
import { renderMarkdownReport } from "../../report/markdown.js";
import { surveyContext } from "../../render/survey.js";
import { score } from "../../scoring/score.js";
import { type CliIo, EXIT, UsageError, oneOf, parse } from "../command.js";

const USAGE = `Usage: mopan report <assessment folder or file> [--format html|md|pdf] [--out <file>] [--force] [--frameworks <dir>]

Writes a report of an assessment: provenance, performance chart, KPI table, every MI with its
elements, rationale and evidence, coverage, strengths and weaknesses.
  --format      html (default): one self-contained file, no scripts, no external assets
                md: Markdown; with --out, the chart is written beside it as <name>.svg
                pdf: printed by headless Chromium (needs --out, playwright-core and Chromium;
                     CHROMIUM_PATH names the browser, default /usr/bin/chromium)
  --out         file to write (html and md go to standard output without it)
  --force       overwrite existing files
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
Exit codes: 0 written, 1 invalid assessment, existing file or no PDF renderer, 2 usage error.
`;

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string", short: "f" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    frameworks: { type: "string" },
  }, USAGE);
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const format = oneOf(values.format ?? "html", ["html", "md", "pdf"], "format", USAGE);
  if (positionals.length !== 1) throw new UsageError("report takes exactly one assessment.", USAGE);
  const out = values.out;
  if (format === "pdf" && out === undefined) throw new UsageError("--format pdf needs --out <file>.", USAGE);
  if (out !== undefined && out.trim() === "") throw new UsageError("--out needs a file name.", USAGE);

  const registry = new Registry(values.frameworks === undefined ? [] : [values.frameworks]);
  const prepared = prepareAssessment(positionals[0]!, registry);
  const errors = prepared.diagnostics.filter((d) => d.severity === "error");
  if (!prepared.assessment || !prepared.framework || !prepared.scale || errors.length > 0) {
    io.stderr(renderDiagnosticsText(prepared.diagnostics));
    io.stderr(`No report: ${errors.length} error(s). Run "mopan validate" for details.\n`);
    return EXIT.invalid;
  }
  if (prepared.diagnostics.length > 0) io.stderr(`${prepared.diagnostics.length} warning(s); run "mopan validate ${positionals[0]}" to see them.\n`);
  const { assessment, framework, scale } = prepared;
  const result = score(framework, scale, assessment);
  const survey = prepared.survey;
  const htmlOptions = survey
    ? { survey: { statistics: survey.statistics, context: surveyContext(survey), ...(survey.input.config.note ? { note: survey.input.config.note } : {}) } }
    : {};

  const files: Output[] = [];
  switch (format) {
    case "html": {
      const text = renderHtmlReport(result, framework, assessment, scale, htmlOptions);
      if (out === undefined) {
        io.stdout(text);
        return EXIT.ok;
      }
      files.push({ path: out, data: text });
      break;
    }
    case "md": {
      if (out === undefined) {
        io.stdout(renderMarkdownReport(result, framework, assessment, scale));
        io.stderr("The chart is not included on standard output; give --out <file>.md to also write it as <file>.svg.\n");
        return EXIT.ok;
      }
      const svgPath = join(dirname(out), `${basename(out, extname(out))}.svg`);
      if (svgPath === out) throw new UsageError("--out for Markdown must not end in .svg (the chart is written as <name>.svg).", USAGE);
      files.push({ path: out, data: renderMarkdownReport(result, framework, assessment, scale, { chartFile: basename(svgPath) }) });
      files.push({ path: svgPath, data: `<?xml version="1.0" encoding="UTF-8"?>\n${performanceChartSvg(result, scale)}\n` });
      break;
    }
    case "pdf": {
      const target = out!;
      // Refuse early, before starting a browser, when the file exists.
      if (existsSync(target) && values.force !== true) {
        io.stderr(`${target} already exists; use --force to overwrite it.\n`);
        return EXIT.invalid;
      }
      const pdf = await printPdf(renderHtmlReport(result, framework, assessment, scale, htmlOptions));
      if (typeof pdf === "string") {
        io.stderr(`mopan report: ${pdf}\n`);
        return EXIT.invalid;
      }
      files.push({ path: target, data: pdf });
      break;
    }
  }
  const problems = writeOutputs(files, values.force === true);
  if (problems.length > 0) {
    io.stderr(renderDiagnosticsText(problems));
    return EXIT.invalid;
  }
  io.stderr(`Wrote ${files.map((f) => f.path).join(" and ")}.\n`);
  return EXIT.ok;
}

/** Chromium's launch flags: headless, and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The browser to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = (): string => process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";

/** Prints an HTML page to PDF in headless Chromium; a message instead when no renderer is available. */
export async function printPdf(page: string): Promise<Uint8Array | string> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    return `PDF needs Chromium, not found at ${executablePath}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH; or write HTML and print it from a browser.`;
  }
  let chromium: typeof import("playwright-core").chromium;
  try {
    // playwright-core is a devDependency: present in a checkout, optional for an installed package
    // (the CLI bundle keeps it external).
    ({ chromium } = await import("playwright-core"));
  } catch {
    return "PDF needs the playwright-core package (npm install playwright-core); or write HTML and print it from a browser.";
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: "load" });
    await tab.emulateMedia({ media: "print" });
    return await tab.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true, margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" } });
  } finally {
    await browser.close();
  }
}

