import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { rebaseSchema } from "../../io/schema-path.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { ASSESSMENT_FILE, isWorkbookPath, readAssessmentSource } from "../../io/assessment-files.js";
import { EVIDENCE_CSV, SCORES_CSV, csvProblems, evidenceToCsv, judgementsToCsv } from "../../io/csv/assessment-csv.js";
import { type Output, writeOutputs } from "../../io/atomic-write.js";
import { Registry, display } from "../../io/registry.js";
import { type Terminal, EXIT, STDOUT, UsageError, parse } from "../command.js";
import { failWith } from "../colour.js";
import { assessmentFiles } from "../load-assessment.js";
import { frameworkIdOf, relocate } from "../../io/assessment-source.js";
import { readForExport } from "./export-input.js";
import { writeImported } from "./import-output.js";

const EXPORT_USAGE = `Usage: mopan export csv <assessment folder, JSON file or workbook> [--out <dir>] [--force]
       mopan export xlsx <assessment folder, JSON file or workbook> [--out <file.xlsx>] [--force]

csv:  writes the assessment's judgements to scores.csv, its evidence to evidence.csv, and the rest
      to assessment.json, in --out (default: the assessment's own folder).
xlsx: writes the whole assessment as one workbook (default: <name>.xlsx in the working directory),
      with drop-downs, outline grouping and the computed ratings in their colours.
Existing files are overwritten only with --force, so exporting into the assessment's own folder
always needs it.
`;

const IMPORT_USAGE = `Usage: mopan import csv <assessment folder or its scores.csv> [--out <file.json>] [--force]
       mopan import xlsx <workbook.xlsx> [--out <file.json>] [--force]

csv:  assembles assessment.json, scores.csv and evidence.csv into one JSON assessment, written to
      --out (default: <folder>/assessment.combined.json).
xlsx: writes the workbook's assessment as one JSON file (default: <workbook>.json beside it).
"-" as --out writes to standard output. Nothing is validated beyond reading the files: run
"mopan validate" on the result. An existing file is overwritten only with --force.
`;

/** The default output of \`mopan import csv\`, inside the assessment folder. */
export const COMBINED_FILE = "assessment.combined.json";

export async function exportCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: "string", short: "o" }, force: { type: "boolean" } }, EXPORT_USAGE);
  const [format, source, ...extra] = positionals;
  if (format !== "csv" && format !== "xlsx") throw new UsageError(format === undefined ? "say what to export to: csv or xlsx." : `cannot export to "${format}"; only csv or xlsx.`, EXPORT_USAGE);
  if (source === undefined || extra.length > 0) throw new UsageError(`export ${format} takes one assessment folder, JSON file or workbook.`, EXPORT_USAGE);
  if (format === "xlsx") return (await import("./workbook.js")).exportXlsx(source, values.out, values.force === true, io, EXPORT_USAGE);

  // The two lists must have the shape the tables hold; nothing else is checked.
  const input = await readForExport(source);
  if (!input.ok) return failWith(io, input.diagnostics);
  const { read, raw, judgements, evidence } = input;
  const problems = csvProblems(judgements, evidence, read.file).map((d) => relocate(d, read));
  if (problems.length > 0) return failWith(io, problems);

  if (values.out === STDOUT) throw new UsageError("export csv writes three files into a folder; --out - (standard output) cannot hold them.", EXPORT_USAGE);
  const fromDir = dirname(resolve(sourceJson(source)));
  const outDir = resolve(values.out ?? fromDir);
  const frameworkId = frameworkIdOf(raw);
  // The framework only fills the informational title column: without it, titles stay empty.
  const framework = frameworkId === undefined ? undefined : new Registry().framework(frameworkId).value;
  const { judgements: _j, evidence: _e, ...metadata } = raw;
  // The tables first: a run cut short between the files leaves the judgements twice (an error
  // "duplicate-source" on the next read), never nowhere.
  const files: Output[] = [
    { path: join(outDir, SCORES_CSV), data: judgementsToCsv(judgements, framework) },
    { path: join(outDir, EVIDENCE_CSV), data: evidenceToCsv(evidence) },
    { path: join(outDir, ASSESSMENT_FILE), data: JSON.stringify(rebaseSchema(metadata, fromDir, outDir), null, 2) + "\n" },
  ];
  // Exporting into the assessment's own folder rewrites the same assessment in another form: the
  // one case where outputs may replace the run's inputs (with --force, as one transaction).
  const written = await writeOutputs(files, { force: values.force === true, inputs: assessmentFiles(source), mayReplaceInputs: outDir === fromDir });
  if (written.length > 0) return failWith(io, written);
  if (read.diagnostics.length > 0) io.stderr(renderDiagnostics(read.diagnostics, "text"));
  io.stdout(`Wrote ${display(files[0]!.path)} (${judgements.length} judgements), ${display(files[1]!.path)} (${evidence.length} evidence entries) and ${display(files[2]!.path)}.\n`);
  return EXIT.ok;
}

export async function importCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: "string", short: "o" }, force: { type: "boolean" } }, IMPORT_USAGE);
  const [format, source, ...extra] = positionals;
  if (format !== "csv" && format !== "xlsx") throw new UsageError(format === undefined ? "say what to import from: csv or xlsx." : `cannot import from "${format}"; only csv or xlsx.`, IMPORT_USAGE);
  if (source === undefined || extra.length > 0)
    throw new UsageError(format === "xlsx" ? "import xlsx takes one workbook." : "import csv takes one assessment folder (or its scores.csv).", IMPORT_USAGE);
  if (format === "xlsx") return (await import("./workbook.js")).importXlsx(source, values.out, values.force === true, io, IMPORT_USAGE);

  const read = readAssessmentSource(source);
  const folder = isDirectory(source) ? source : dirname(source);
  const fromDir = resolve(folder);
  return writeImported(read, values.out ?? join(folder, COMBINED_FILE), (raw, toDir) => rebaseSchema(raw, fromDir, toDir), { force: values.force === true, inputs: assessmentFiles(source) }, io);
}

/** The JSON file an export reads: the given file, or the folder's assessment.json (also for a CSV path). */
function sourceJson(source: string): string {
  if (isDirectory(source)) return join(source, ASSESSMENT_FILE);
  if (isWorkbookPath(source)) return source;
  return source.toLowerCase().endsWith(".csv") ? join(dirname(source), ASSESSMENT_FILE) : source;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};
