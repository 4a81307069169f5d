import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILTIN_FRAMEWORK_DIR } from "../../io/registry.js";
import { type CliIo, EXIT, UsageError, parse } from "../command.js";

const USAGE = `Usage: mopan workbench

Prints where the scoring workbench is: one HTML file that runs in a browser, offline, with no
server. Open it (from the file or any static web host), then open an assessment in it.
`;

/** The workbench page `npm run build` writes. */
export const WORKBENCH_FILE = resolve(BUILTIN_FRAMEWORK_DIR, "../dist/workbench/index.html");

export async function workbenchCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, USAGE);
  if (positionals.length > 0) throw new UsageError("workbench takes no arguments.", USAGE);
  if (!existsSync(WORKBENCH_FILE)) {
    io.stderr(`The workbench is not built (${WORKBENCH_FILE} is missing). Run "npm run build".\n`);
    return EXIT.invalid;
  }
  io.stdout(`${WORKBENCH_FILE}\nOpen it in a browser: ${pathToFileURL(WORKBENCH_FILE).href}\n`);
  return EXIT.ok;
}
