import { type Diagnostic, sortDiagnostics } from "./diagnostic.js";
import { renderSarif } from "./sarif.js";
import { NO_PAINT, type Paint } from "./paint.js";

/** Where a diagnostic points, as people read it: file:line:column, file#Sheet!C17, or file#/json/pointer. */
export function locationText(d: Diagnostic): string {
  const file = d.file ?? "<input>";
  if (d.cell !== undefined) return `${file}#${d.cell}`;
  if (d.line !== undefined) return `${file}:${d.line}${d.column === undefined ? "" : `:${d.column}`}`;
  if (d.pointer !== undefined) return `${file}#${d.pointer}`;
  return file;
}

export function renderText(diagnostics: readonly Diagnostic[], paint: Paint = NO_PAINT): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${paint.dim(locationText(d))} ${d.severity === "error" ? paint.error(d.severity) : paint.warning(d.severity)} ${d.code}: ${d.message}\n`)
    .join("");
}

export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const list = sortDiagnostics(diagnostics);
  const count = (severity: string) => list.filter((d) => d.severity === severity).length;
  return JSON.stringify({ errors: count("error"), warnings: count("warning"), diagnostics: list }, null, 2) + "\n";
}

/** GitHub Actions workflow commands, so CI shows each problem on its line. */
export function renderGithub(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [
        d.file === undefined ? undefined : `file=${escapeProperty(d.file)}`,
        d.line === undefined ? undefined : `line=${d.line}`,
        d.column === undefined ? undefined : `col=${d.column}`,
        `title=${escapeProperty(d.code)}`,
      ].filter((p) => p !== undefined);
      const where = d.cell !== undefined ? ` (at ${d.cell})` : d.line === undefined && d.pointer !== undefined ? ` (at ${d.pointer})` : "";
      return `::${d.severity} ${props.join(",")}::${escapeData(d.message + where)}\n`;
    })
    .join("");
}

const escapeData = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s: string) => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

export type DiagnosticFormat = "text" | "json" | "github" | "sarif";

export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ["text", "json", "github", "sarif"];

export const renderDiagnostics = (diagnostics: readonly Diagnostic[], format: DiagnosticFormat, paint: Paint = NO_PAINT): string =>
  format === "json" ? renderJson(diagnostics) : format === "github" ? renderGithub(diagnostics) : format === "sarif" ? renderSarif(diagnostics) : renderText(diagnostics, paint);
