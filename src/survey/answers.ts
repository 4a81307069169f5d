import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ResponseScale } from "./schema.js";

/** One respondent's answer to one question: a value on the scale, or a counted non-substantive answer. */
export type Answer = { readonly kind: "value"; readonly value: number } | { readonly kind: "non-substantive"; readonly code: string };

/** The code of an empty answer, counted with the non-substantive answers. */
const BLANK = "blank";

export const BLANK_ANSWER: Answer = { kind: "non-substantive", code: BLANK };

/** Letter case, spaces and typographic apostrophes do not matter when matching an answer. */
const normaliseAnswer = (text: string): string =>
  text
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

/** Every text an answer may be written as (labels, aliases, values), normalised, to the answer. */
export function answerLookup(scale: ResponseScale): ReadonlyMap<string, Answer> {
  const lookup = new Map<string, Answer>();
  for (const option of scale.options) {
    const answer: Answer = { kind: "value", value: option.value };
    for (const text of [String(option.value), option.label, ...(option.aliases ?? [])]) lookup.set(normaliseAnswer(text), answer);
  }
  for (const option of scale.nonSubstantive) {
    const answer: Answer = { kind: "non-substantive", code: option.code };
    for (const text of [option.label, ...(option.aliases ?? [])]) lookup.set(normaliseAnswer(text), answer);
  }
  return lookup;
}

/**
 * Reads one answer: a label, alias or value of the scale, in any letter case. An empty answer is
 * BLANK when the scale counts blanks; undefined means the text is not an answer of this scale.
 */
export function readAnswer(text: string, scale: ResponseScale, lookup: ReadonlyMap<string, Answer> = answerLookup(scale)): Answer | undefined {
  const key = normaliseAnswer(text);
  if (key === "") return scale.blank === "non-substantive" ? BLANK_ANSWER : undefined;
  return lookup.get(key);
}

/** The answers a scale accepts, for messages. */
export const acceptedAnswers = (scale: ResponseScale): string =>
  [...scale.options.map((o) => `${o.value} or "${o.label}"`), ...scale.nonSubstantive.map((o) => `"${o.label}"`), ...(scale.blank === "non-substantive" ? ["blank"] : [])].join(", ");

/** A response scale's own consistency: distinct values and answer texts, and agreeFrom among the values. */
export function checkResponseScale(scale: ResponseScale, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const values = new Set<number>();
  scale.options.forEach((o, i) => {
    if (values.has(o.value))
      out.push({ file, pointer: `/options/${i}/value`, code: "duplicate-value", severity: "error", received: String(o.value), message: `Value ${o.value} is given to two answers.` });
    values.add(o.value);
  });
  if (!values.has(scale.agreeFrom)) {
    out.push({
      file,
      pointer: "/agreeFrom",
      code: "unknown-value",
      severity: "error",
      received: String(scale.agreeFrom),
      message: `agreeFrom must be one of the scale's values (${[...values].join(", ")}).`,
    });
  }
  // Each answer text, normalised, to the answer (list and index) that owns it.
  const owners = new Map<string, string>();
  const claim = (text: string, owner: string, pointer: string) => {
    const key = normaliseAnswer(text);
    const other = owners.get(key);
    if (other !== undefined && other !== owner) {
      out.push({ file, pointer, code: "ambiguous-answer", severity: "error", received: text, message: `"${text}" names two different answers (letter case and spaces do not count).` });
    }
    owners.set(key, owner);
  };
  for (const [list, options] of [
    ["options", scale.options],
    ["nonSubstantive", scale.nonSubstantive],
  ] as const) {
    options.forEach((o, i) => {
      const owner = `/${list}/${i}`;
      if ("value" in o) claim(String(o.value), owner, `${owner}/value`);
      claim(o.label, owner, `${owner}/label`);
      (o.aliases ?? []).forEach((alias, k) => claim(alias, owner, `${owner}/aliases/${k}`));
    });
  }
  return out;
}
