import { type Setting, whatIf } from "../../analysis/what-if.js";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import { renderWhatIfText } from "../../render/analysis-text.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { loadAssessment } from "../load-assessment.js";
import { assessmentTitle } from "../../assessment/title.js";

const USAGE = `Usage: mopan what-if <assessment folder or file> --set <id>=<score> [--set ...] [--format text|json] [--frameworks <dir>]

Rescores the assessment with changed judgements and compares every KPI and MI before and after.
  --set         an element or results MI and its new score, or N/E or N/A (e.g. MI1.1.E1=3, MI9.1=N/E); repeatable
  --format      text (default) or json
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
`;

export async function whatIfCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { set: { type: "string", multiple: true }, format: { type: "string", short: "f" }, frameworks: { type: "string" } }, USAGE);
  const format = oneOf(values.format ?? "text", ["text", "json"], "format", USAGE);
  if (positionals.length !== 1) throw new UsageError("what-if takes exactly one assessment.", USAGE);
  const sets = values.set ?? [];
  if (sets.length === 0) throw new UsageError("give at least one --set <id>=<score>.", USAGE);
  const settings: Setting[] = sets.map((text) => {
    const eq = text.indexOf("=");
    if (eq <= 0 || eq === text.length - 1) throw new UsageError(`--set ${JSON.stringify(text)} is not <id>=<score>.`, USAGE);
    return { id: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim() };
  });
  const input = await loadAssessment(positionals[0]!, io, "rescored", values.frameworks);
  if (!input) return EXIT.invalid;
  const { result, diagnostics } = whatIf(input.framework, input.scale, input.assessment, settings);
  if (!result) {
    io.stderr(renderDiagnosticsText(diagnostics));
    io.stderr(`Not rescored: ${diagnostics.length} invalid setting(s).\n`);
    return EXIT.invalid;
  }
  io[format === "json" ? "data" : "stdout"](format === "json" ? JSON.stringify(result, null, 2) + "\n" : renderWhatIfText(result, input.scale, assessmentTitle(input.assessment)));
  return EXIT.ok;
}
