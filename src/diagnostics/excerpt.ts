/** At most this many characters of unexpected input are quoted in a diagnostic. */
export const EXCERPT_LENGTH = 40;

/**
 * A short, quoted and escaped excerpt of input that was not expected (an unknown CSV header, a
 * stray cell): enough to find it, never a whole line of a file that should not have been read,
 * and no control character reaches a terminal or a CI log.
 */
export function excerpt(text: string, max: number = EXCERPT_LENGTH): string {
  const cut = shorten(text, max);
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The first `max` characters of a text, with "…" when there was more (for a diagnostic's `received`). */
export function shorten(text: string, max: number = EXCERPT_LENGTH): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}
