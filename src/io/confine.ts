import { lstatSync, realpathSync } from "node:fs";
import { sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { display } from "./registry.js";

/**
 * A file that belongs to a folder (an assessment's assessment.json, scores.csv, evidence.csv and
 * survey files; a JSON file `validate` found) but leads outside it, by a symbolic link
 * (`symlink-outside`) or by a path such as ../../etc/passwd named in survey.json (`path-outside`):
 * a diagnostic, and the file is not read. Without this, a link to /etc/passwd or a CI secret, added
 * in a pull request, would be read and its first line quoted in a public log. A file that stays
 * inside is read like any other; a file named directly on the command line is the user's choice and
 * is not checked.
 */
export function symlinkOutside(file: string, folder: string): Diagnostic | undefined {
  let link: boolean;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    link = false;
  }
  let target: string;
  let root: string;
  try {
    root = realpathSync(folder);
    target = realpathSync(file);
  } catch {
    return undefined; // Missing, or a broken link: reading it reports "does not exist".
  }
  if (target.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return link
    ? {
        file: display(file),
        code: "symlink-outside",
        severity: "error",
        message: `${display(file)} is a symbolic link to a file outside ${display(folder)}; it is not read. Copy the file into the folder instead.`,
      }
    : { file: display(file), code: "path-outside", severity: "error", message: `${display(file)} is outside ${display(folder)}; files an assessment names must be in its folder. It is not read.` };
}
