import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { EXIT } from "./command.js";

/** 0 when nothing is wrong, 1 when any error (or, with strict, any warning) was found. */
export const exitCodeFor = (diagnostics: readonly Diagnostic[], strict = false): number =>
  diagnostics.some((d) => d.severity === "error" || (strict && d.severity === "warning")) ? EXIT.invalid : EXIT.ok;
