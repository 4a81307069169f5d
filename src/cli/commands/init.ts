import { join } from "node:path";
import type { Judgement } from "../../assessment/schema.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { Framework } from "../../framework/model.js";
import { ASSESSMENT_FILE } from "../../io/assessment-files.js";
import { EVIDENCE_CSV, SCORES_CSV, evidenceToCsv, judgementsToCsv } from "../../io/csv/assessment-csv.js";
import { writeOutputs } from "../../io/atomic-write.js";
import { Registry, display } from "../../io/registry.js";
import { schemaPathFor } from "../../io/schema-path.js";
import { resolveRatingScale } from "../../framework/rating-scale.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";

const USAGE = `Usage: mopan init --framework <id> --org <name> [--acronym <X>] [--methodology <version>] [--force] <dir>
       mopan init --format xlsx --framework <id> --org <name> [...] <file.xlsx>

Writes a new assessment to fill in with a spreadsheet. As a folder (--format csv, the default):
  assessment.json  the metadata (organisation, framework, methodology, period, assessors)
  scores.csv       one row per element and results MI of the framework, in framework order, score blank
  evidence.csv     the header of the evidence table
As one workbook (--format xlsx): the same in sheets, with drop-downs of the allowed scores.
Every score is blank: not judged yet, so "mopan validate --strict" fails until each is judged
(a number, N/E or N/A). Existing files are never overwritten without --force.
  --format       csv (default) or xlsx
  --framework    framework id (see "mopan framework list")
  --org          the assessed organisation's name
  --acronym      its acronym
  --methodology  methodology version whose rating scale applies (default: the framework's)
  --frameworks   an extra folder of frameworks
`;


export async function initCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, {
    framework: { type: "string" },
    org: { type: "string" },
    acronym: { type: "string" },
    methodology: { type: "string" },
    frameworks: { type: "string" },
    force: { type: "boolean" },
    format: { type: "string", short: "f" },
  }, USAGE);
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const format = oneOf(values.format ?? "csv", ["csv", "xlsx"], "format", USAGE);
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) throw new UsageError(format === "xlsx" ? "init --format xlsx takes one workbook file." : "init takes one folder.", USAGE);
  if (values.framework === undefined) throw new UsageError("--framework is required.", USAGE);
  const org = values.org?.trim();
  if (org === undefined || org === "") throw new UsageError("--org is required (the organisation's name).", USAGE);

  const registry = new Registry(values.frameworks === undefined ? [] : [values.frameworks]);
  const loaded = registry.framework(values.framework);
  const framework = loaded.value;
  if (!framework) return fail(io, [...loaded.diagnostics, ...registry.diagnostics]);
  const methodology = values.methodology ?? framework.methodology;
  const resolved = resolveRatingScale(framework, methodology, { scales: registry.ratingScales() });
  const scale = resolved.scale;
  if (!scale) return fail(io, [...registry.diagnostics, ...resolved.diagnostics]);

  const year = String(new Date().getUTCFullYear());
  const metadata = {
    $schema: schemaPathFor(dir),
    organisation: { name: org, ...(values.acronym?.trim() ? { acronym: values.acronym.trim() } : {}) },
    framework: { id: framework.id, version: framework.version },
    methodology,
    period: { from: year, to: year },
    assessors: [],
  };
  if (format === "xlsx") return (await import("./workbook.js")).initXlsx(dir, metadata, framework, scale, values.force === true, io, USAGE);
  const problems = await writeOutputs([
    { path: join(dir, ASSESSMENT_FILE), data: JSON.stringify(metadata, null, 2) + "\n" },
    { path: join(dir, SCORES_CSV), data: judgementsToCsv(templateJudgements(framework), framework) },
    { path: join(dir, EVIDENCE_CSV), data: evidenceToCsv([]) },
  ], { force: values.force === true });
  if (problems.length > 0) return fail(io, problems);
  const count = templateJudgements(framework).length;
  io.stdout(`Wrote ${[ASSESSMENT_FILE, SCORES_CSV, EVIDENCE_CSV].map((f) => display(join(dir, f))).join(", ")}: ${count} rows to score (all blank: not judged yet) for ${framework.id} ${framework.version}.\n`);
  return EXIT.ok;
}

/** Every element, and every results MI (rated directly), in framework order, with no score: not judged yet. */
export function templateJudgements(framework: Framework): Judgement[] {
  return framework.performanceAreas.flatMap((pa) =>
    pa.kpis.flatMap((kpi) => kpi.mis.flatMap((mi) => (mi.scoring === "rubric" ? [{ id: mi.id }] : mi.elements.map((e) => ({ id: e.id }))))),
  );
}


function fail(io: Terminal, diagnostics: readonly Diagnostic[]): number {
  io.stderr(renderDiagnostics(diagnostics, "text"));
  return EXIT.invalid;
}
