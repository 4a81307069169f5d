import { dirname, resolve } from "node:path";
import { type Diagnostic, hasErrors } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { isRecord } from "../../framework/tree.js";
import { writeOutputs } from "../../io/atomic-write.js";
import { display } from "../../io/registry.js";
import { type Terminal, EXIT, STDOUT } from "../command.js";
import { failWith } from "../colour.js";

export interface Imported {
  readonly raw?: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The end of `import csv` and `import xlsx`: the assessment read, as one JSON file at `out` (or on
 * standard output for "-", as read). `withSchema` sets its `$schema` for the folder it is written to.
 */
export async function writeImported(
  read: Imported,
  out: string,
  withSchema: (raw: Record<string, unknown>, toDir: string) => Record<string, unknown>,
  options: { readonly force: boolean; readonly inputs: readonly string[] },
  io: Terminal,
): Promise<number> {
  if (read.raw === undefined || hasErrors(read.diagnostics)) return failWith(io, read.diagnostics);
  if (read.diagnostics.length > 0) io.stderr(renderDiagnostics(read.diagnostics, "text"));
  if (out === STDOUT) {
    io.data(JSON.stringify(read.raw, null, 2) + "\n");
    return EXIT.ok;
  }
  const raw = isRecord(read.raw) ? withSchema(read.raw, dirname(resolve(out))) : read.raw;
  const written = await writeOutputs([{ path: out, data: JSON.stringify(raw, null, 2) + "\n" }], options);
  if (written.length > 0) return failWith(io, written);
  const count = (key: string) => (isRecord(raw) && Array.isArray(raw[key]) ? raw[key].length : 0);
  io.stdout(`Wrote ${display(out)} (${count("judgements")} judgements, ${count("evidence")} evidence entries).\n`);
  return EXIT.ok;
}
