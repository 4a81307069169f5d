import { createColors } from "picocolors";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type DiagnosticFormat, renderDiagnostics } from "../diagnostics/render.js";
import { type Terminal, escapeControls } from "../io/output.js";
import { NO_PAINT, type Paint } from "../diagnostics/paint.js";
import { EXIT } from "./command.js";

/**
 * Whether to colour a stream: never with NO_COLOR (any non-empty value, no-color.org), always with
 * FORCE_COLOR (unless "0" or "false"), else only on a terminal that is not "dumb".
 */
export function colourWanted(isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"]) return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "0" && force !== "false") return true;
  return isTty && env["TERM"] !== "dumb";
}

/** Terminal colours (picocolors) when wanted, else none: ratings green to red by band, errors red, warnings yellow. */
export function paintFor(isTty: boolean, env: NodeJS.ProcessEnv = process.env): Paint {
  if (!colourWanted(isTty, env)) return NO_PAINT;
  const c = createColors(true);
  const byRank = [c.green, c.cyan, c.yellow, c.red];
  return {
    rating: (text, rank, bands) => {
      if (rank === "flag") return c.dim(text);
      // Spread any number of bands over the four colours, highest green, lowest red.
      const slot = bands <= 1 ? 0 : Math.round((rank / (bands - 1)) * (byRank.length - 1));
      return byRank[slot]!(text);
    },
    error: (text) => c.bold(c.red(text)),
    warning: (text) => c.yellow(text),
    dim: (text) => c.dim(text),
  };
}

/** Every string in plain data (objects, arrays) with its control characters escaped; other values as they are. */
export function escapeData<T>(value: T): T {
  if (typeof value === "string") return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map(escapeData) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, escapeData(v)])) as T;
  }
  return value;
}

/**
 * Writes text for people rendered from `data`, coloured where colour is wanted: the data is escaped
 * first, then rendered and painted, so no control character from the data reaches the terminal
 * while the colour codes do. Without colour it goes through the ordinary escaping path.
 */
export function writeColoured<T>(io: Terminal, stream: "stdout" | "stderr", data: T, render: (data: T, paint: Paint) => string): void {
  const paint = paintFor(stream === "stdout" ? io.stdoutIsTty : io.stderrIsTty);
  if (paint === NO_PAINT) io[stream](render(data, NO_PAINT));
  else io.painted(stream, render(escapeData(data), paint));
}

/** Diagnostics on stdout: text coloured for people, github annotations escaped, JSON and SARIF as data. */
export function writeDiagnostics(io: Terminal, diagnostics: readonly Diagnostic[], format: DiagnosticFormat): void {
  if (format === "text") writeColoured(io, "stdout", diagnostics, (d, paint) => renderDiagnostics(d, "text", paint));
  else if (format === "github") io.stdout(renderDiagnostics(diagnostics, format));
  else io.data(renderDiagnostics(diagnostics, format));
}

/** Diagnostics that stop a command: written to stderr as plain text; the exit code is `EXIT.invalid`. */
export function failWith(io: Terminal, diagnostics: readonly Diagnostic[]): number {
  io.stderr(renderDiagnostics(diagnostics, "text"));
  return EXIT.invalid;
}
