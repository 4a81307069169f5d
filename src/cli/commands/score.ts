import { renderScoreCsv } from "../../render/score-csv.js";
import { renderScoreMarkdown } from "../../render/score-md.js";
import { renderScoreText } from "../../render/score-text.js";
import { score } from "../../scoring/score.js";
import { writeColoured } from "../colour.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { assessmentTitle } from "../../assessment/title.js";
import { loadAssessment } from "../load-assessment.js";

const USAGE = `Usage: mopan score <assessment folder or file> [--format text|json|csv|md] [--detail] [--frameworks <dir>]

Scores every element, MI and KPI and rates them by the methodology's rating scale.
  --format      text (default), json, csv or md
  --detail      also list every MI and element (text, csv, md; json always has them)
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
`;

export async function scoreCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: "string", short: "f" },
      detail: { type: "boolean" },
      frameworks: { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "text", ["text", "json", "csv", "md"], "format", USAGE);
  if (positionals.length !== 1) throw new UsageError("score takes exactly one assessment.", USAGE);
  const prepared = await loadAssessment(positionals[0]!, io, "scored", values.frameworks);
  if (!prepared) return EXIT.invalid;
  const result = score(prepared.framework, prepared.scale, prepared.assessment);
  const title = assessmentTitle(prepared.assessment);
  const options = { detail: values.detail === true };
  switch (format) {
    case "json":
      io.data(JSON.stringify(result, null, 2) + "\n");
      break;
    case "csv":
      io.data(renderScoreCsv(result, options));
      break;
    case "md":
      io.data(renderScoreMarkdown(result, prepared.scale, title, options));
      break;
    default:
      writeColoured(io, "stdout", { result, scale: prepared.scale, title }, (d, paint) => renderScoreText(d.result, d.scale, d.title, { ...options, paint }));
  }
  return EXIT.ok;
}
