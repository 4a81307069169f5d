import { sensitivity } from "../../analysis/sensitivity.js";
import { renderSensitivityText } from "../../render/analysis-text.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { loadAssessment } from "../load-assessment.js";
import { assessmentTitle } from "../../assessment/title.js";

const USAGE = `Usage: mopan sensitivity <assessment folder or file> [--format text|json] [--frameworks <dir>]

For every MI and KPI: its margin to the neighbouring bands, the fewest element changes that
would move it a band up or down, the best and worst it could reach if its N/E elements were
evidenced, and which ratings change under the other N/E treatment or another known rating scale.
  --format      text (default) or json
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
`;

export async function sensitivityCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: "string", short: "f" }, frameworks: { type: "string" } }, USAGE);
  const format = oneOf(values.format ?? "text", ["text", "json"], "format", USAGE);
  if (positionals.length !== 1) throw new UsageError("sensitivity takes exactly one assessment.", USAGE);
  const input = await loadAssessment(positionals[0]!, io, "analysed", values.frameworks);
  if (!input) return EXIT.invalid;
  const result = sensitivity(input.framework, input.scale, input.assessment, { scales: input.registry.ratingScales() });
  io[format === "json" ? "data" : "stdout"](format === "json" ? JSON.stringify(result, null, 2) + "\n" : renderSensitivityText(result, input.scale, assessmentTitle(input.assessment)));
  return EXIT.ok;
}
