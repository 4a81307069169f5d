import { statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import * as z from "zod";
import { Evidence, Judgement } from "../../assessment/schema.js";
import { type Diagnostic, hasErrors } from "../../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../../text/from-zod.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { isRecord } from "../../framework/tree.js";
import { ASSESSMENT_FILE, type AssessmentSource, readAssessmentSource } from "../../io/assessment-files.js";
import { EVIDENCE_CSV, SCORES_CSV, csvProblems, evidenceToCsv, judgementsToCsv } from "../../io/csv/assessment-csv.js";
import { type Output, writeOutputs } from "../../io/atomic-write.js";
import { Registry, display } from "../../io/registry.js";
import { type Terminal, EXIT, STDOUT, UsageError, parse } from "../command.js";
import { assessmentFiles } from "../load-assessment.js";

const EXPORT_USAGE = `Usage: mopan export csv <assessment folder or JSON file> [--out <dir>] [--force]

Writes the assessment's judgements to scores.csv, its evidence to evidence.csv, and the rest to
assessment.json, in --out (default: the assessment's own folder). Existing files are overwritten
only with --force, so exporting into the assessment's own folder always needs it.
`;

const IMPORT_USAGE = `Usage: mopan import csv <assessment folder or its scores.csv> [--out <file.json>] [--force]

Assembles assessment.json, scores.csv and evidence.csv into one JSON assessment, written to
--out (default: <folder>/assessment.combined.json; "-" for standard output). Nothing is validated
beyond reading the files: run "mopan validate" on the result. An existing file is overwritten only
with --force.
`;

/** The default output of \`mopan import csv\`, inside the assessment folder. */
export const COMBINED_FILE = "assessment.combined.json";

export async function exportCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: "string", short: "o" }, force: { type: "boolean" } }, EXPORT_USAGE);
  if (values.help) {
    io.stdout(EXPORT_USAGE);
    return EXIT.ok;
  }
  const [format, source, ...extra] = positionals;
  if (format !== "csv") throw new UsageError(format === undefined ? "say what to export to: csv." : `cannot export to "${format}"; only csv.`, EXPORT_USAGE);
  if (source === undefined || extra.length > 0) throw new UsageError("export csv takes one assessment folder or JSON file.", EXPORT_USAGE);

  const read = readAssessmentSource(source);
  const raw = read.raw;
  if (raw === undefined || hasErrors(read.diagnostics)) return fail(io, read.diagnostics);
  if (!isRecord(raw)) return fail(io, [{ file: read.file, pointer: "", code: "invalid-type", severity: "error", message: "An assessment must be a JSON object." }]);

  // The two lists must have the shape the tables hold; nothing else is checked.
  const lists = Tables.safeParse({ judgements: raw["judgements"], evidence: raw["evidence"] });
  if (!lists.success) return fail(io, diagnosticsFromZod(lists.error, { judgements: raw["judgements"], evidence: raw["evidence"] }, read.file).map((d) => relocate(d, read)));
  const { judgements, evidence } = lists.data;
  const problems = csvProblems(judgements, evidence, read.file).map((d) => relocate(d, read));
  if (problems.length > 0) return fail(io, problems);

  if (values.out === STDOUT) throw new UsageError("export csv writes three files into a folder; --out - (standard output) cannot hold them.", EXPORT_USAGE);
  const fromDir = dirname(resolve(sourceJson(source)));
  const outDir = resolve(values.out ?? fromDir);
  const frameworkId = isRecord(raw["framework"]) && typeof raw["framework"]["id"] === "string" ? raw["framework"]["id"] : undefined;
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
  if (written.length > 0) return fail(io, written);
  if (read.diagnostics.length > 0) io.stderr(renderDiagnostics(read.diagnostics, "text"));
  io.stdout(`Wrote ${display(files[0]!.path)} (${judgements.length} judgements), ${display(files[1]!.path)} (${evidence.length} evidence entries) and ${display(files[2]!.path)}.\n`);
  return EXIT.ok;
}

export async function importCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: "string", short: "o" }, force: { type: "boolean" } }, IMPORT_USAGE);
  if (values.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT.ok;
  }
  const [format, source, ...extra] = positionals;
  if (format !== "csv") throw new UsageError(format === undefined ? "say what to import from: csv." : `cannot import from "${format}"; only csv.`, IMPORT_USAGE);
  if (source === undefined || extra.length > 0) throw new UsageError("import csv takes one assessment folder (or its scores.csv).", IMPORT_USAGE);

  const read = readAssessmentSource(source);
  if (read.raw === undefined || hasErrors(read.diagnostics)) return fail(io, read.diagnostics);
  if (read.diagnostics.length > 0) io.stderr(renderDiagnostics(read.diagnostics, "text"));

  const folder = isDirectory(source) ? source : dirname(source);
  const out = values.out ?? join(folder, COMBINED_FILE);
  const fromDir = resolve(folder);
  if (out === STDOUT) {
    io.data(JSON.stringify(read.raw, null, 2) + "\n");
    return EXIT.ok;
  }
  const raw = isRecord(read.raw) ? rebaseSchema(read.raw, fromDir, dirname(resolve(out))) : read.raw;
  const written = await writeOutputs([{ path: out, data: JSON.stringify(raw, null, 2) + "\n" }], { force: values.force === true, inputs: assessmentFiles(source) });
  if (written.length > 0) return fail(io, written);
  const count = (key: string) => (isRecord(raw) && Array.isArray(raw[key]) ? raw[key].length : 0);
  io.stdout(`Wrote ${display(out)} (${count("judgements")} judgements, ${count("evidence")} evidence entries).\n`);
  return EXIT.ok;
}

const Tables = z.object({ judgements: z.array(Judgement).default([]), evidence: z.array(Evidence).default([]) });

/** The JSON file an export reads: the given file, or the folder's assessment.json (also for a CSV path). */
function sourceJson(source: string): string {
  if (isDirectory(source)) return join(source, ASSESSMENT_FILE);
  return source.toLowerCase().endsWith(".csv") ? join(dirname(source), ASSESSMENT_FILE) : source;
}

/** A relative `$schema` written for `fromDir`, made relative to `toDir` instead (URLs and absolute paths stay). */
function rebaseSchema(metadata: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  const schema = metadata["$schema"];
  if (typeof schema !== "string" || schema === "" || isAbsolute(schema) || /^[a-z][a-z0-9+.-]*:/i.test(schema) || fromDir === toDir) return metadata;
  return { ...metadata, $schema: relative(toDir, resolve(fromDir, schema)).split(sep).join("/") };
}

function relocate(d: Diagnostic, source: AssessmentSource): Diagnostic {
  const place = d.pointer !== undefined && d.file === source.file ? source.locate?.(d.pointer) : undefined;
  return place ? { ...d, ...place } : d;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function fail(io: Terminal, diagnostics: readonly Diagnostic[]): number {
  io.stderr(renderDiagnostics(diagnostics, "text"));
  return EXIT.invalid;
}
