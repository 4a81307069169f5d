import { OutputFailure, type Sinks, type Terminal, terminal } from "../io/output.js";
import { errnoText } from "../io/errno.js";
import { EXIT, HelpRequested, UsageError } from "./command.js";
import { nearest } from "./suggest.js";

type Command = (args: string[], io: Terminal) => Promise<number>;

interface CommandEntry {
  readonly summary: string;
  /** Subcommands with their one-line descriptions, as help lists them. */
  readonly subcommands?: Readonly<Record<string, string>>;
  /** Shown in help on one line instead of one line per subcommand. */
  readonly helpName?: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  score: { summary: "score an assessment: KPI, MI and element scores and ratings", load: async () => (await import("./commands/score.js")).scoreCommand },
  validate: { summary: "check assessments, frameworks and rating scales (for CI; text, json, github, sarif)", load: async () => (await import("./commands/validate.js")).validateCommand },
  framework: {
    summary: "list, show or validate frameworks",
    subcommands: {
      list: "list the known frameworks with their version and counts",
      show: "show a framework's tree, counts, provenance, rating scale and overlay changes",
      validate: "check a framework or rating-scale file",
    },
    load: async () => (await import("./commands/framework.js")).framework,
  },
  report: { summary: "write a report: HTML (self-contained), Markdown with an SVG chart, or PDF", load: async () => (await import("./commands/report.js")).reportCommand },
  compare: { summary: "compare two assessments, or one with its published scores", load: async () => (await import("./commands/compare.js")).compareCommand },
  sensitivity: { summary: "margins to neighbouring bands and the fewest changes that move each rating", load: async () => (await import("./commands/sensitivity.js")).sensitivityCommand },
  simulate: { summary: "Monte Carlo of KPI ratings under judgement uncertainty (seeded)", load: async () => (await import("./commands/simulate.js")).simulateCommand },
  survey: { summary: "partner-survey statistics per question, overall and per partner group", load: async () => (await import("./commands/survey.js")).surveyCommand },
  "what-if": { summary: "rescore with changed judgements and compare before and after", load: async () => (await import("./commands/what-if.js")).whatIfCommand },
  init: { summary: "start an assessment: a folder (assessment.json, scores.csv, evidence.csv) or one .xlsx workbook", load: async () => (await import("./commands/init.js")).initCommand },
  export: {
    summary: "write an assessment as CSV tables or as one .xlsx workbook",
    subcommands: {
      csv: "write an assessment's judgements and evidence as scores.csv and evidence.csv",
      xlsx: "write an assessment as one .xlsx workbook, with drop-downs of the allowed scores",
    },
    load: async () => (await import("./commands/convert.js")).exportCommand,
  },
  import: {
    summary: "assemble an assessment folder's CSV tables, or a workbook, into one JSON file",
    subcommands: {
      csv: "assemble an assessment folder's CSV tables into one assessment.json",
      xlsx: "read a workbook back into one assessment JSON file",
    },
    load: async () => (await import("./commands/convert.js")).importCommand,
  },
  completion: {
    summary: "print a shell completion script for bash, zsh or fish",
    subcommands: { bash: "completion for bash", zsh: "completion for zsh", fish: "completion for fish" },
    helpName: "completion bash|zsh|fish",
    load: async () => {
      const { completionCommand } = await import("./completion.js");
      return (args, io) => completionCommand(args, io, COMMANDS);
    },
  },
  workbench: { summary: "where the browser workbench is: open, edit and rescore an assessment offline", load: async () => (await import("./commands/workbench.js")).workbenchCommand },
};

const commandLines = Object.entries(COMMANDS).flatMap(([name, c]) =>
  c.subcommands && !c.helpName ? Object.entries(c.subcommands).map(([sub, summary]) => `  ${`${name} ${sub}`.padEnd(26)} ${summary}`) : [`  ${(c.helpName ?? name).padEnd(26)} ${c.summary}`],
);

export const HELP = `mopan: scoring engine for rating frameworks (MOPAN 3.1 and its crisis adaptation)

Usage: mopan <command> [options]

Commands:
${commandLines.join("\n")}

Options:
  -h, --help                 show this help; "mopan <command> --help" shows a command's options
  -V, --version              print the engine's version

Colour: on a terminal only; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.
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
  if (name === "--version" || name === "-V") {
    io.stdout(`${(await import("../version.js")).ENGINE_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    const suggestion = nearest(name, Object.keys(COMMANDS));
    io.stderr(`mopan: unknown command "${name}".${suggestion ? ` Did you mean "mopan ${suggestion}"?` : ""}\nUsage: mopan <command> [options]; "mopan --help" lists the commands.\n`);
    return EXIT.usage;
  }
  try {
    return await (await command.load())([...rest], io);
  } catch (error) {
    if (error instanceof OutputFailure) throw error;
    if (error instanceof HelpRequested) {
      io.stdout(error.usage);
      return EXIT.ok;
    }
    if (error instanceof UsageError) {
      io.stderr(`mopan ${name}: ${error.message}\n${error.usage ? `\n${error.usage}` : ""}`);
      return EXIT.usage;
    }
    const detail = process.env["MOPAN_DEBUG"] ? `\n${(error as Error).stack}` : "";
    // A file system call that failed (a path that is a file where a folder is needed, a folder
    // that cannot be read, a full disk) is a problem with the paths given, not a crash.
    const failed = error as NodeJS.ErrnoException;
    if (typeof failed?.code === "string" && typeof failed.syscall === "string") {
      io.stderr(`mopan ${name}: cannot access ${failed.path === undefined ? "a file" : failed.path} (${errnoText(failed.code)}).${detail}\n`);
      return EXIT.invalid;
    }
    io.stderr(`mopan ${name}: internal error: ${(error as Error).message ?? String(error)}. Please report it with the input that caused it (set MOPAN_DEBUG=1 for details).${detail}\n`);
    return EXIT.invalid;
  }
}
