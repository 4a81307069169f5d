const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * The one escaper for every piece of data put into HTML or SVG, as text or as a (quoted)
 * attribute value: & < > " ' and ` become character references, so data can neither close an
 * element or attribute nor open a tag, comment or CDATA section. The references used are valid
 * in XML too, so the same output works in a standalone SVG file.
 */
export const escapeHtml = (value: string | number): string => String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);

/** A colour for a style or fill attribute: only #rrggbb passes, anything else becomes neutral grey. */
export const safeColour = (colour: string): string => (/^#[0-9a-fA-F]{6}$/.test(colour) ? colour : "#9e9e9e");

/** A fragment id built from data: characters outside [A-Za-z0-9._-] become "-". */
export const anchorId = (prefix: string, id: string): string => `${prefix}-${id.replace(/[^A-Za-z0-9._-]/g, "-")}`;

/** An href for a source URL: only http(s) URLs become links; null for anything else (javascript:, data:, ...). */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Markup that is already safe: produced by `html` or by a renderer that escapes its data itself. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks trusted markup (an SVG chart, a fixed string) so `html` does not escape it again. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(interpolate).join("");
  if (value === null || value === undefined || value === false || value === true) return "";
  return escapeHtml(value as string | number);
}

/**
 * Template tag for HTML: every interpolated value is escaped unless it is `SafeHtml` (the result of
 * another `html` template, or `trusted(...)`); arrays are joined; null, undefined and booleans
 * vanish (so `${cond && html`...`}` works). Safe by default: data can only get in escaped.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += interpolate(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}
