import { basename, dirname, extname, join, resolve } from "node:path";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { Framework } from "../../framework/model.js";
import { isWorkbookPath, prepareSource, readAssessment } from "../../io/assessment-files.js";
import { writeOutputs } from "../../io/atomic-write.js";
import { schemaPathFor } from "../../io/schema-path.js";
import { Registry, display } from "../../io/registry.js";
import { SURVEY_FILE, hasSurvey } from "../../io/survey-files.js";
import type { RatingScale } from "../../rating/schema.js";
import { score } from "../../scoring/score.js";
import { type Terminal, EXIT, UsageError } from "../command.js";
import { failWith } from "../colour.js";
import { assessmentFiles } from "../load-assessment.js";
import { frameworkIdOf, relocate } from "../../io/assessment-source.js";
import { readForExport } from "./export-input.js";
import { writeImported } from "./import-output.js";
import { workbookInputFor } from "../../io/workbook/input.js";

/**
 * The workbook side of `export`, `import` and `init` (`src/io/workbook/` does the work). The
 * workbook library is loaded only from here and from the workbook reader.
 */

/** `mopan export xlsx <assessment> [--out file.xlsx]`: default `<name>.xlsx` in the working directory. */
export async function exportXlsx(source: string, out: string | undefined, force: boolean, io: Terminal, usage: string): Promise<number> {
  if (out !== undefined && !isWorkbookPath(out)) throw new UsageError(`--out must name an .xlsx file (got "${out}").`, usage);
  const exported = await readForExport(source);
  if (!exported.ok) return failWith(io, exported.diagnostics);
  const { read, raw } = exported;
  if (read.folder !== undefined && hasSurvey(read.folder)) {
    // The survey's evidence is derived from its responses on every run; a workbook has no place for them.
    return failWith(io, [
      {
        file: display(join(read.folder, SURVEY_FILE)),
        code: "not-representable",
        severity: "error",
        message: `${display(read.folder)} has a partner survey (${SURVEY_FILE}), whose evidence is derived from its responses on every run; a workbook cannot carry it, so the workbook would score differently. Keep this assessment as a folder.`,
      },
    ]);
  }
  const lists = { data: { judgements: exported.judgements, evidence: exported.evidence } };

  // The framework orders the rows and gives titles and drop-downs; a valid assessment's scores are shown too.
  const registry = new Registry();
  const prepared = prepareSource(read, registry);
  const frameworkId = frameworkIdOf(raw);
  const framework = prepared.framework ?? (frameworkId === undefined ? undefined : registry.framework(frameworkId).value);
  const result = prepared.assessment && prepared.framework && prepared.scale && !hasErrors(prepared.diagnostics) ? score(prepared.framework, prepared.scale, prepared.assessment) : undefined;

  const target = out ?? `${basename(source.replace(/[\\/]+$/, ""), extname(source)) || "assessment"}.xlsx`;
  const { writeWorkbook, workbookProblems } = await import("../../io/workbook/write.js");
  const input = workbookInputFor(raw, lists.data, { framework, scale: prepared.scale, result });
  const problems = workbookProblems(input, read.file).map((d) => relocate(d, read));
  if (problems.length > 0) return failWith(io, problems);
  const written = await writeOutputs([{ path: target, data: await writeWorkbook(input) }], { force, inputs: assessmentFiles(source) });
  if (written.length > 0) return failWith(io, written);
  if (read.diagnostics.length > 0) io.stderr(renderDiagnostics(read.diagnostics, "text"));
  io.stdout(`Wrote ${display(target)} (${lists.data.judgements.length} judgements, ${lists.data.evidence.length} evidence entries${framework ? `, ${framework.id} ${framework.version}` : ""}).\n`);
  return EXIT.ok;
}

/** `mopan import xlsx <file.xlsx> [--out file.json]`: default `<file>.json` beside the workbook. */
export async function importXlsx(source: string, out: string | undefined, force: boolean, io: Terminal, usage: string): Promise<number> {
  if (!isWorkbookPath(source)) throw new UsageError(`import xlsx takes an .xlsx workbook (got "${source}").`, usage);
  const read = await readAssessment(source);
  const target = out ?? join(dirname(source), `${basename(source, extname(source))}.json`);
  // The package's schema, relative to the file written, first (as "mopan init" writes it).
  return writeImported(read, target, (raw, toDir) => ({ $schema: schemaPathFor(toDir), ...raw }), { force, inputs: [source] }, io);
}

/** `mopan init --format xlsx ... <file.xlsx>`: the template as one workbook, every score blank. */
export async function initXlsx(target: string, metadata: Record<string, unknown>, framework: Framework, scale: RatingScale | undefined, force: boolean, io: Terminal, usage: string): Promise<number> {
  if (!isWorkbookPath(target)) throw new UsageError(`init --format xlsx writes one workbook: give a file name ending in .xlsx (got "${target}").`, usage);
  const { $schema: _schema, ...rest } = metadata;
  const { writeWorkbook } = await import("../../io/workbook/write.js");
  const data = await writeWorkbook({ metadata: rest, judgements: [], evidence: [], framework, ...(scale ? { scale } : {}) });
  const written = await writeOutputs([{ path: resolve(target), data }], { force });
  if (written.length > 0) return failWith(io, written);
  io.stdout(`Wrote ${display(resolve(target))}: every element and results MI of ${framework.id} ${framework.version} to score, all blank (not judged yet).\n`);
  return EXIT.ok;
}
