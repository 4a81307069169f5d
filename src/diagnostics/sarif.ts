import { ENGINE_VERSION } from "../version.js";
import { type Diagnostic, sortDiagnostics } from "./diagnostic.js";

/** The schema that SARIF 2.1.0 logs name (the OASIS standard's, as the JSON Schema Store publishes it). */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** A file path as a URI reference: relative paths stay relative (to %SRCROOT%), absolute ones become file: URIs. */
function artifactUri(file: string): { uri: string; uriBaseId?: string } {
  const encoded = file
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  return file.startsWith("/") ? { uri: `file://${encoded}` } : { uri: encoded, uriBaseId: "%SRCROOT%" };
}

/**
 * Diagnostics as a SARIF 2.1.0 log, the format GitHub code scanning and other tools ingest: one
 * run, one rule per diagnostic code, one result per diagnostic with its level, message and
 * physical location (file, line and column: the cell of a CSV table, the value a JSON pointer
 * names). The pointer, and what was expected and received, are kept as result properties.
 */
export function renderSarif(diagnostics: readonly Diagnostic[]): string {
  const list = sortDiagnostics(diagnostics);
  const codes = [...new Set(list.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const results = list.map((d) => {
    const properties = {
      ...(d.pointer === undefined ? {} : { pointer: d.pointer }),
      ...(d.expected === undefined ? {} : { expected: d.expected }),
      ...(d.received === undefined ? {} : { received: d.received }),
    };
    const region = d.line === undefined ? undefined : { startLine: d.line, ...(d.column === undefined ? {} : { startColumn: d.column }) };
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: d.severity,
      message: { text: d.message },
      ...(d.file === undefined
        ? {}
        : {
            locations: [
              {
                physicalLocation: { artifactLocation: artifactUri(d.file), ...(region ? { region } : {}) },
                ...(d.pointer === undefined ? {} : { logicalLocations: [{ fullyQualifiedName: d.pointer || "/", kind: "element" }] }),
              },
            ],
          }),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mopan-engine",
            version: ENGINE_VERSION,
            informationUri: "https://www.npmjs.com/package/mopan-engine",
            rules: codes.map((code) => ({ id: code, name: code, shortDescription: { text: `mopan diagnostic ${code}` } })),
          },
        },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
