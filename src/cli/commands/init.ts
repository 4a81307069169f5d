import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Judgement } from "../../assessment/schema.js";
import { type Framework, judgedIdsOf } from "../../framework/model.js";
import { ASSESSMENT_FILE } from "../../io/assessment-files.js";
import { EVIDENCE_CSV, SCORES_CSV, evidenceToCsv, judgementsToCsv } from "../../io/csv/assessment-csv.js";
import { writeOutputs } from "../../io/atomic-write.js";
import { Registry, display } from "../../io/registry.js";
import { SCHEMA_DIR } from "../../io/schema-path.js";
import { resolveRatingScale } from "../../framework/rating-scale.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { failWith } from "../colour.js";

const USAGE = `Usage: mopan init --framework <id> --org <name> [--acronym <X>] [--period <from>[:<to>]] [--methodology <version>] [--force] <dir>
       mopan init --format xlsx --framework <id> --org <name> [...] <file.xlsx>

Writes a new assessment to fill in with a spreadsheet. As a folder (--format csv, the default):
  assessment.json  the metadata (organisation, framework, methodology, period, assessors), with a
                   $schema that editors resolve: the installed package's schema when mopan-engine
                   is installed in a node_modules above the folder, else a copy written beside it
                   as assessment.schema.json
  scores.csv       one row per element and results MI of the framework, in framework order, score blank
  evidence.csv     the header of the evidence table
As one workbook (--format xlsx): the same in sheets, with drop-downs of the allowed scores.
Every score is blank: not judged yet, so "mopan validate --strict" fails until each is judged
(a number, N/E or N/A). Existing files are never overwritten without --force.
  --format       csv (default) or xlsx
  --framework    framework id (see "mopan framework list")
  --org          the assessed organisation's name
  --acronym      its acronym
  --period       the period assessed: 2023, 2022-01:2023-06 (default: this year, and it says so)
  --methodology  methodology version whose rating scale applies (default: the framework's)
  --frameworks   an extra folder of frameworks
`;

export async function initCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      framework: { type: "string" },
      org: { type: "string" },
      acronym: { type: "string" },
      period: { type: "string" },
      methodology: { type: "string" },
      frameworks: { type: "string" },
      force: { type: "boolean" },
      format: { type: "string", short: "f" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "csv", ["csv", "xlsx"], "format", USAGE);
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) throw new UsageError(format === "xlsx" ? "init --format xlsx takes one workbook file." : "init takes one folder.", USAGE);
  if (values.framework === undefined) throw new UsageError("--framework is required.", USAGE);
  const org = values.org?.trim();
  if (org === undefined || org === "") throw new UsageError("--org is required (the organisation's name).", USAGE);

  const registry = new Registry(values.frameworks === undefined ? [] : [values.frameworks]);
  const loaded = registry.framework(values.framework);
  const framework = loaded.value;
  if (!framework) return failWith(io, [...loaded.diagnostics, ...registry.diagnostics]);
  const methodology = values.methodology ?? framework.methodology;
  const resolved = resolveRatingScale(framework, methodology, { scales: registry.ratingScales() });
  const scale = resolved.scale;
  if (!scale) return failWith(io, [...registry.diagnostics, ...resolved.diagnostics]);

  const period = values.period === undefined ? undefined : parsePeriod(values.period);
  if (values.period !== undefined && period === undefined) {
    throw new UsageError(`--period must be a year or month or day, or two of them as from:to (2023, 2022-07:2023-06); got ${JSON.stringify(values.period)}.`, USAGE);
  }
  const year = String(new Date().getUTCFullYear());
  const schema = schemaFor(dir);
  const metadata = {
    $schema: schema.ref,
    organisation: { name: org, ...(values.acronym?.trim() ? { acronym: values.acronym.trim() } : {}) },
    framework: { id: framework.id, version: framework.version },
    methodology,
    period: period ?? { from: year, to: year },
    assessors: [],
  };
  if (format === "xlsx") return (await import("./workbook.js")).initXlsx(dir, metadata, framework, scale, values.force === true, io, USAGE);
  const problems = await writeOutputs(
    [
      { path: join(dir, ASSESSMENT_FILE), data: JSON.stringify(metadata, null, 2) + "\n" },
      { path: join(dir, SCORES_CSV), data: judgementsToCsv(templateJudgements(framework), framework) },
      { path: join(dir, EVIDENCE_CSV), data: evidenceToCsv([]) },
      ...(schema.copy === undefined ? [] : [{ path: join(dir, SCHEMA_COPY), data: schema.copy }]),
    ],
    { force: values.force === true },
  );
  if (problems.length > 0) return failWith(io, problems);
  const count = templateJudgements(framework).length;
  const written = [ASSESSMENT_FILE, SCORES_CSV, EVIDENCE_CSV, ...(schema.copy === undefined ? [] : [SCHEMA_COPY])];
  io.stdout(`Wrote ${written.map((f) => display(join(dir, f))).join(", ")}: ${count} rows to score (all blank: not judged yet) for ${framework.id} ${framework.version}.\n`);
  io.stdout(
    period ? `Period: ${period.from} to ${period.to}.\n` : `Period: assumed ${year} to ${year} (this year); give --period (e.g. --period 2022-07:2023-06) or edit "period" in ${ASSESSMENT_FILE}.\n`,
  );
  io.stdout(
    `$schema: ${schema.ref} (${schema.copy === undefined ? "the installed mopan-engine's schema" : "a copy of this engine's schema: no mopan-engine is installed in a node_modules above the folder"}).\n`,
  );
  return EXIT.ok;
}

/** Every element, and every results MI (rated directly), in framework order, with no score: not judged yet. */
export function templateJudgements(framework: Framework): Judgement[] {
  return framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((kpi) => kpi.mis.flatMap((mi) => judgedIdsOf(mi).map((id) => ({ id })))));
}

/** The file name of the schema copy that init writes when no installed package is found. */
export const SCHEMA_COPY = "assessment.schema.json";

const PERIOD_PART = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** "2023" -> 2023 to 2023; "2022-07:2023-06" -> from and to; undefined when malformed or reversed. */
export function parsePeriod(text: string): { from: string; to: string } | undefined {
  const parts = text.trim().split(/\s*(?::|\.\.)\s*/);
  const from = parts[0] ?? "";
  const to = parts[1] ?? from;
  if (parts.length > 2 || !PERIOD_PART.test(from) || !PERIOD_PART.test(to) || from > to) return undefined;
  return { from, to };
}

/**
 * `$schema` for an assessment.json in `dir`, one that resolves where the folder lives: the engine's
 * own schema when the folder is inside the engine's package (a checkout), else the schema of a
 * mopan-engine installed in a node_modules above the folder, else a copy written beside it.
 */
export function schemaFor(dir: string): { ref: string; copy?: string } {
  const folder = resolve(dir);
  const own = join(SCHEMA_DIR, "assessment.schema.json");
  const packageRoot = resolve(SCHEMA_DIR, "..");
  const relativeRef = (target: string) => {
    const path = relative(folder, target).split(sep).join("/");
    return path.startsWith(".") ? path : `./${path}`;
  };
  if (folder === packageRoot || folder.startsWith(packageRoot + sep)) return { ref: relativeRef(own) };
  for (let at = folder; ; at = dirname(at)) {
    const installed = join(at, "node_modules", "mopan-engine", "schema", "assessment.schema.json");
    if (existsSync(installed)) return { ref: relativeRef(installed) };
    if (dirname(at) === at) break;
  }
  return { ref: `./${SCHEMA_COPY}`, copy: readFileSync(own, "utf8") };
}
