/** Helpers for the survey tests: the shipped response scale and rule, and respondents built from answers. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Answer, BLANK_ANSWER } from "../../src/survey/answers.js";
import { ResponseScale, SurveyRule } from "../../src/survey/schema.js";
import type { StatisticsOptions, SurveyQuestion, SurveyRespondent } from "../../src/survey/statistics.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const EXAMPLE = `${ROOT}assessments/synthetic-survey-example`;

export const AGREEMENT = ResponseScale.parse(JSON.parse(readFileSync(`${ROOT}framework/response-scales/agreement-6.json`, "utf8")));
export const RULE = SurveyRule.parse(JSON.parse(readFileSync(`${ROOT}framework/survey-rules/survey-share-agreeing.json`, "utf8")));

export const OPTIONS: StatisticsOptions = { minGroupSize: 5, level: 0.95, resamples: 500, seed: 7 };

export const question = (id: string, targets: string[] = ["MI1.1.E1"]): SurveyQuestion => ({ id, text: `Statement ${id}`, targets, scale: AGREEMENT });

/** An answer written compactly: a value 1-6, "dk" or "" (blank). */
export type Written = number | "dk" | "";

export const answer = (w: Written): Answer => (w === "" ? BLANK_ANSWER : w === "dk" ? { kind: "non-substantive", code: "dont-know" } : { kind: "value", value: w });

export const respondent = (group: string, answers: Readonly<Record<string, Written>>, region = "East"): SurveyRespondent => ({
  group,
  region,
  answers: new Map(Object.entries(answers).map(([q, w]) => [q, answer(w)])),
});
