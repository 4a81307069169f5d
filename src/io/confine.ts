import { lstatSync, realpathSync } from "node:fs";
import { sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { display } from "./registry.js";

/**
 * A file found in a folder (an assessment's assessment.json, scores.csv, evidence.csv; a JSON file
 * `validate` found) that is a symbolic link leading outside that folder: a diagnostic, and the file
 * is not read. A link inside the folder is read like the file it names. Without this, a link to
 * /etc/passwd or a CI secret, added in a pull request, would be read and its first line quoted in a
 * public log. A file named directly on the command line is the user's choice and is not checked.
 */
export function symlinkOutside(file: string, folder: string): Diagnostic | undefined {
  try {
    if (!lstatSync(file).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  let target: string;
  try {
    target = realpathSync(file);
  } catch {
    return undefined; // A broken link: reading it reports "does not exist".
  }
  let root: string;
  try {
    root = realpathSync(folder);
  } catch {
    return undefined;
  }
  if (target.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return {
    file: display(file),
    code: "symlink-outside",
    severity: "error",
    message: `${display(file)} is a symbolic link to a file outside ${display(folder)}; it is not read. Copy the file into the folder instead.`,
  };
}
