import { type Stats, readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Diagnostic, appendAll, dedupe, hasErrors } from "../../diagnostics/diagnostic.js";
import { score } from "../../scoring/score.js";
import { DIAGNOSTIC_FORMATS } from "../../diagnostics/render.js";
import { loadFramework } from "../../framework/load.js";
import { isRecord } from "../../framework/tree.js";
import { Crosswalk, checkCrosswalk } from "../../analysis/crosswalk-schema.js";
import { UncertaintyModel } from "../../analysis/uncertainty-schema.js";
import { diagnosticsFromZod } from "../../text/from-zod.js";
import { indexFramework } from "../../framework/model.js";
import { ASSESSMENT_FILE, isWorkbookPath, loadAssessment, prepareAssessment } from "../../io/assessment-files.js";
import { SURVEY_FILE } from "../../io/survey-files.js";
import { checkResponseScale } from "../../survey/answers.js";
import { ResponseScale, SurveyRule } from "../../survey/schema.js";
import { EVIDENCE_CSV, SCORES_CSV } from "../../io/csv/assessment-csv.js";
import { symlinkOutside } from "../../io/confine.js";
import { LIMITS } from "../../text/limits.js";
import { Registry, display } from "../../io/registry.js";
import { loadRatingScale } from "../../rating/load.js";
import { writeDiagnostics } from "../colour.js";
import { exitCodeFor } from "../exit-code.js";
import { type Terminal, UsageError, oneOf, parse } from "../command.js";

const USAGE = `Usage: mopan validate <files or folders...> [--format text|json|github|sarif] [--strict] [--provisional] [--frameworks <dir>]

Checks assessments (folders with assessment.json, JSON files, or workbooks: .xlsx), frameworks,
rating scales, crosswalks and uncertainty models, each recognised by its content. Any other folder
stands for the JSON files, workbooks and folders in it. Files are never changed.
  --format       text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0,
                 for GitHub code scanning and other tools)
  --strict       warnings fail too
  --provisional  also warn about each MI and KPI rating that the framework's coverage rule
                 marks provisional (the assessment is scored to find them)
Exit codes: 0 valid, 1 problems found, 2 usage error.
`;

export async function validateCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: "string", short: "f" },
      strict: { type: "boolean" },
      provisional: { type: "boolean" },
      frameworks: { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "text", DIAGNOSTIC_FORMATS, "format", USAGE);
  if (positionals.length === 0) throw new UsageError("validate needs at least one file or folder.", USAGE);
  const registry = new Registry(values.frameworks === undefined ? [] : [values.frameworks]);
  const diagnostics: Diagnostic[] = [];
  const targets = positionals.flatMap((p) => expand(p, diagnostics));
  for (const target of targets) appendAll(diagnostics, await validateOne(target, registry, values.provisional === true));
  appendAll(diagnostics, registry.diagnostics);
  const unique = dedupe(registry.positioned(diagnostics));
  writeDiagnostics(io, unique, format);
  if (format === "text") {
    const errors = unique.filter((d) => d.severity === "error").length;
    const warnings = unique.length - errors;
    io.stdout(`${targets.length} item(s) checked: ${errors} error(s), ${warnings} warning(s).\n`);
  }
  return exitCodeFor(unique, values.strict === true);
}

/**
 * A folder with assessment.json (or its CSV tables) is one assessment; any other folder stands for
 * the JSON files in it and the folders below it, at most `LIMITS.folderDepth` levels down. A JSON
 * file that is a symbolic link is checked like any other when it stays inside the folder given,
 * and refused unread when it leads outside; linked folders are not followed.
 */
function expand(path: string, diagnostics: Diagnostic[], top: string = path, depth = 0): string[] {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    diagnostics.push({ file: display(path), code: "file-not-found", severity: "error", message: `${display(path)} does not exist.` });
    return [];
  }
  if (!stat.isDirectory()) return [path];
  if (ASSESSMENT_PARTS.some((name) => exists(join(path, name)))) return [path];
  if (depth >= LIMITS.folderDepth.max) {
    const limit = LIMITS.folderDepth;
    diagnostics.push({
      file: display(path),
      code: limit.code,
      severity: "error",
      expected: `at most ${limit.max} ${limit.unit}`,
      message: `${display(path)} is more than ${limit.max} folders below ${display(top)}; the limit is ${limit.max} ${limit.unit}. Its contents are not checked; give the folder itself to validate it.`,
    });
    return [];
  }
  const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const json = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && (e.name.endsWith(".json") || (isWorkbookPath(e.name) && !e.name.startsWith("~$")))).map((e) => join(path, e.name));
  const found = [
    ...json.filter((file) => {
      const outside = symlinkOutside(file, top);
      if (outside) diagnostics.push(outside);
      return outside === undefined && exists(file);
    }),
    ...entries.filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules").flatMap((e) => expand(join(path, e.name), diagnostics, top, depth + 1)),
  ];
  if (found.length === 0 && !diagnostics.some((d) => d.code === "symlink-outside" || d.code === LIMITS.folderDepth.code)) {
    diagnostics.push({
      file: display(path),
      code: "nothing-to-validate",
      severity: "error",
      message: `${display(path)} holds no assessment folder (a folder with ${ASSESSMENT_FILE}), no JSON file and no workbook.`,
    });
  }
  return found;
}

const ASSESSMENT_PARTS = [ASSESSMENT_FILE, SCORES_CSV, EVIDENCE_CSV];

/** Checks one target by what it is: an assessment, framework, rating scale, crosswalk or uncertainty model. */
async function validateOne(path: string, registry: Registry, provisional: boolean): Promise<readonly Diagnostic[]> {
  if (isWorkbookPath(path)) return checkAssessment(path, registry, provisional);
  if (statSync(path).isDirectory() || basename(path) === ASSESSMENT_FILE || !path.endsWith(".json")) {
    return checkAssessment(path, registry, provisional);
  }
  // A survey is checked with the assessment it belongs to.
  if (basename(path) === SURVEY_FILE) return prepareAssessment(dirname(path), registry).diagnostics;
  const read = registry.readDocument(path);
  if (!read.ok) return read.diagnostics;
  const raw = read.value.value;
  const file = display(path);
  if (isRecord(raw) && ("performanceAreas" in raw || "extends" in raw)) return loadFramework({ raw, file }, registry).diagnostics;
  if (isRecord(raw) && "bands" in raw) return loadRatingScale(raw, file).diagnostics;
  if (isRecord(raw) && "from" in raw && "to" in raw) {
    const parsed = Crosswalk.safeParse(raw);
    if (!parsed.success) return diagnosticsFromZod(parsed.error, raw, file);
    const from = registry.framework(parsed.data.from);
    const to = registry.framework(parsed.data.to);
    if (!from.value || !to.value) {
      return [
        {
          file,
          pointer: from.value ? "/to" : "/from",
          code: "unknown-framework",
          severity: "error",
          message: `The crosswalk names framework "${from.value ? parsed.data.to : parsed.data.from}", which is not known.`,
        },
      ];
    }
    return checkCrosswalk(parsed.data, indexFramework(from.value), indexFramework(to.value), file);
  }
  if (isRecord(raw) && "options" in raw && "agreeFrom" in raw) {
    const parsed = ResponseScale.safeParse(raw);
    return registry.positioned(parsed.success ? checkResponseScale(parsed.data, file) : diagnosticsFromZod(parsed.error, raw, file));
  }
  if (isRecord(raw) && "thresholds" in raw && "statistic" in raw) {
    const parsed = SurveyRule.safeParse(raw);
    return parsed.success ? [] : registry.positioned(diagnosticsFromZod(parsed.error, raw, file));
  }
  if (isRecord(raw) && "levels" in raw && "unit" in raw) {
    const parsed = UncertaintyModel.safeParse(raw);
    return parsed.success ? [] : diagnosticsFromZod(parsed.error, raw, file);
  }
  return checkAssessment(path, registry, provisional);
}

/** An assessment's diagnostics; with `provisional`, a valid one is scored and each provisional rating is a warning. */
async function checkAssessment(path: string, registry: Registry, provisional: boolean): Promise<readonly Diagnostic[]> {
  const prepared = await loadAssessment(path, registry);
  if (!provisional || !prepared.assessment || !prepared.framework || !prepared.scale || hasErrors(prepared.diagnostics)) return prepared.diagnostics;
  const result = score(prepared.framework, prepared.scale, prepared.assessment);
  const file = display(statSync(path).isDirectory() ? join(path, ASSESSMENT_FILE) : path);
  const warnings: Diagnostic[] = [...result.kpis, ...result.mis].flatMap((item) =>
    item.provisional
      ? [{ file, code: "provisional-rating", severity: "warning" as const, message: `${item.id} is rated ${item.rating} on thin evidence, so the rating is provisional: ${item.provisional.reason}.` }]
      : [],
  );
  return [...prepared.diagnostics, ...warnings];
}

const exists = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};
