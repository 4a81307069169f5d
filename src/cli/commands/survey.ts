import { SURVEY_FILE } from "../../io/survey-files.js";
import { renderSurveyCsv, renderSurveyJson, renderSurveyMarkdown, renderSurveyText, surveyContext } from "../../render/survey.js";
import { regroupStatistics } from "../../survey/statistics.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { loadAssessment } from "../load-assessment.js";

const USAGE = `Usage: mopan survey <assessment folder> [--format text|json|csv|md] [--by group|region] [--frameworks <dir>]

The partner survey's statistics per question, from the responses the folder's ${SURVEY_FILE} names:
responses, substantive answers, don't-know share, distribution, mean and median, share agreeing,
with a Wilson interval for the share and a seeded bootstrap interval for the mean, and the
score the survey rule suggests. Respondent ids never appear in the output.
  --format      text (default), json, csv or md
  --by          also break each question down by partner group (or region); groups smaller than
                survey.json's minGroupSize are counted only in the total
  --frameworks  a folder with more frameworks (<id>.json) and rating-scales/
`;

export async function surveyCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: "string", short: "f" },
      by: { type: "string" },
      frameworks: { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "text", ["text", "json", "csv", "md"], "format", USAGE);
  const by = values.by === undefined ? undefined : oneOf(values.by, ["group", "region"], "by", USAGE);
  if (positionals.length !== 1) throw new UsageError("survey takes exactly one assessment.", USAGE);
  const prepared = await loadAssessment(positionals[0]!, io, "summarised", values.frameworks);
  if (!prepared) return EXIT.invalid;
  if (!prepared.survey) {
    io.stderr(`${positionals[0]} has no partner survey: add ${SURVEY_FILE} beside assessment.json (see the README).\n`);
    return EXIT.invalid;
  }
  const { input, statistics: byGroup } = prepared.survey;
  const statistics = by === "region" ? regroupStatistics(byGroup, input.respondents, "region") : byGroup;
  const context = surveyContext(prepared.survey);
  const render = { json: renderSurveyJson, csv: renderSurveyCsv, md: renderSurveyMarkdown, text: renderSurveyText }[format];
  io[format === "text" ? "stdout" : "data"](render(statistics, context, by !== undefined));
  return EXIT.ok;
}
