import { OutputFailure, type Sinks, type Terminal, terminal } from "../io/output.js";
import { EXIT, UsageError } from "./command.js";

type Command = (args: string[], io: Terminal) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  score: { summary: "score an assessment: KPI, MI and element scores and ratings", load: async () => (await import("./commands/score.js")).scoreCommand },
  validate: { summary: "check assessments, frameworks and rating scales (for CI)", load: async () => (await import("./commands/validate.js")).validateCommand },
  framework: { summary: "list, show or validate frameworks", load: async () => (await import("./commands/framework.js")).framework },
  report: { summary: "write a report: HTML (self-contained), Markdown with an SVG chart, or PDF", load: async () => (await import("./commands/report.js")).reportCommand },
  compare: { summary: "compare two assessments, or one with its published scores", load: async () => (await import("./commands/compare.js")).compareCommand },
  sensitivity: { summary: "margins to neighbouring bands and the fewest changes that move each rating", load: async () => (await import("./commands/sensitivity.js")).sensitivityCommand },
  simulate: { summary: "Monte Carlo of KPI ratings under judgement uncertainty (seeded)", load: async () => (await import("./commands/simulate.js")).simulateCommand },
  survey: { summary: "partner-survey statistics per question, overall and per partner group", load: async () => (await import("./commands/survey.js")).surveyCommand },
  "what-if": { summary: "rescore with changed judgements and compare before and after", load: async () => (await import("./commands/what-if.js")).whatIfCommand },
  init: { summary: "start an assessment: a folder (assessment.json, scores.csv, evidence.csv) or one .xlsx workbook", load: async () => (await import("./commands/init.js")).initCommand },
  export: { summary: "write an assessment as CSV tables or as one .xlsx workbook", load: async () => (await import("./commands/convert.js")).exportCommand },
  import: { summary: "assemble an assessment folder's CSV tables, or a workbook, into one JSON file", load: async () => (await import("./commands/convert.js")).importCommand },
  workbench: { summary: "where the browser workbench is: open, edit and rescore an assessment offline", load: async () => (await import("./commands/workbench.js")).workbenchCommand },
};

export const HELP = `mopan: scoring engine for rating frameworks (MOPAN 3.1 and its crisis adaptation)

Usage: mopan <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`).join("\n")}

Run "mopan <command> --help" for a command's options.
Exit codes: 0 ok, 1 invalid input or failed check, 2 usage error.
`;

/**
 * Runs one command line; the exit code is the result. Never throws on user input: a usage error
 * is exit 2, a failed file system call exit 1 with the path, anything else exit 1 as an internal
 * error, with no stack trace unless MOPAN_DEBUG is set. Everything is written through the output
 * layer (`src/io/output.ts`): a reader of stdout that went away ends the run quietly with 0, any
 * other failed write with one line on stderr and exit 1.
 */
export async function run(argv: readonly string[], sinks: Sinks): Promise<number> {
  try {
    return await dispatch(argv, terminal(sinks));
  } catch (error) {
    if (!(error instanceof OutputFailure)) throw error;
    if (error.readerGone) return EXIT.ok;
    if (error.stream === "stdout") {
      try {
        sinks.stderr(`mopan: ${error.message}; the output is incomplete.\n`);
      } catch {
        // stderr is gone too: the exit code has to say it.
      }
    }
    return EXIT.invalid;
  }
}

async function dispatch(argv: readonly string[], io: Terminal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") {
    io.stdout(`${(await import("../version.js")).ENGINE_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`mopan: unknown command "${name}".\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await (await command.load())([...rest], io);
  } catch (error) {
    if (error instanceof OutputFailure) throw error;
    if (error instanceof UsageError) {
      io.stderr(`mopan ${name}: ${error.message}\n${error.usage ? `\n${error.usage}` : ""}`);
      return EXIT.usage;
    }
    const detail = process.env["MOPAN_DEBUG"] ? `\n${(error as Error).stack}` : "";
    // A file system call that failed (a path that is a file where a folder is needed, a folder
    // that cannot be read, a full disk) is a problem with the paths given, not a crash.
    const failed = error as NodeJS.ErrnoException;
    if (typeof failed?.code === "string" && typeof failed.syscall === "string") {
      io.stderr(`mopan ${name}: cannot access ${failed.path === undefined ? "a file" : failed.path} (${failed.code}${failed.code === "ENOTDIR" ? ": a file is where a folder should be" : ""}).${detail}\n`);
      return EXIT.invalid;
    }
    io.stderr(`mopan ${name}: internal error: ${(error as Error).message ?? String(error)}. Please report it with the input that caused it (set MOPAN_DEBUG=1 for details).${detail}\n`);
    return EXIT.invalid;
  }
}
