import type { Diagnostic, Location } from "../diagnostics/diagnostic.js";

/** An assessment's raw data as read from disk, and how to point back into the files it came from. */
export interface AssessmentSource {
  readonly raw?: unknown;
  /** The file named in diagnostics whose pointer `locate` does not map. */
  readonly file: string;
  /** Maps a JSON pointer into the assembled assessment to a place in a source file (CSV line and column). */
  readonly locate?: (pointer: string) => Location | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The assessment folder, when the assessment was read from one. */
  readonly folder?: string;
}
