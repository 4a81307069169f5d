import { writeSync } from "node:fs";
import { errnoText } from "./errno.js";

/**
 * The CLI's output layer for the two standard streams and for signals. Every byte the CLI writes
 * goes through here or through the file writer (`./atomic-write.ts`); a test reads `src/` to
 * keep it so (tests/faults/one-output-path.test.ts).
 *
 * - Every write is checked. Writes are synchronous (`writeSync`), so a failure is known at once:
 *   a reader that went away (EPIPE: `| head`) ends the run quietly with exit 0, as Unix tools do;
 *   any other failure (ENOSPC, EIO, a full /dev/full) ends it with one line on stderr and exit 1.
 *   A command never reports success for output that was not written.
 * - Text for people (messages, diagnostics, the text formats) has its control characters escaped,
 *   on a terminal and in a CI log alike, so input can neither move the cursor, set the title nor
 *   write the clipboard. Data formats (JSON, CSV, Markdown, HTML, PDF) pass unchanged to a pipe or
 *   file and are escaped only when they would land on a terminal.
 * - SIGINT, SIGTERM and SIGHUP run the registered clean-ups (temporary files, a browser) and end
 *   the run with 128 + the signal number (130, 143, 129).
 */

/** The raw streams a run writes to; tests pass their own. A sink may throw an `OutputFailure`. */
export interface Sinks {
  stdout(content: string | Uint8Array): void;
  stderr(content: string): void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}

/** What commands write through: text for people, data for programs, and raw progress on a terminal. */
export interface Terminal {
  /** Text for people on stdout: control characters escaped. */
  stdout(text: string): void;
  /** Text for people on stderr: control characters escaped. */
  stderr(text: string): void;
  /** A data format on stdout, unchanged unless stdout is a terminal. */
  data(content: string | Uint8Array): void;
  /** A progress line on a terminal's stderr (may use \r); nothing when stderr is not a terminal. */
  progress(text: string): void;
  /**
   * Coloured text for people, for a stream where colour is wanted (a terminal, or FORCE_COLOR): the
   * caller escaped the data in it before painting; colour codes (SGR) pass, any other control
   * character is escaped here all the same.
   */
  painted(stream: "stdout" | "stderr", text: string): void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}

/** A write to stdout or stderr failed. */
export class OutputFailure extends Error {
  constructor(
    readonly stream: "stdout" | "stderr",
    readonly code: string,
  ) {
    super(`cannot write to standard ${stream === "stdout" ? "output" : "error"} (${errnoText(code)})`);
  }
  /** A reader that stopped early: the run ends quietly. */
  get readerGone(): boolean {
    return this.code === "EPIPE" || this.code === "ECONNRESET";
  }
}

/**
 * Control characters as visible escapes: C0 except tab and line feed, DEL, C1, and the bidi
 * controls that reorder what a terminal shows (U+202A..U+202E, U+2066..U+2069). Lone carriage
 * returns and the Unicode line and paragraph separators too: in a log they would overwrite or split
 * a line.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Like `escapeControls`, but colour codes (SGR: ESC [ digits and semicolons m) pass unchanged. */
export function escapeControlsButColour(text: string): string {
  return text
    .split(COLOUR_CODE)
    .map((part, i) => (i % 2 === 1 ? part : escapeControls(part)))
    .join("");
}

// eslint-disable-next-line no-control-regex
const COLOUR_CODE = /(\u001b\[[0-9;]*m)/;

/** The command-facing layer over raw sinks. */
export function terminal(sinks: Sinks): Terminal {
  return {
    stdout: (text) => sinks.stdout(escapeControls(text)),
    stderr: (text) => sinks.stderr(escapeControls(text)),
    data: (content) => {
      if (!sinks.stdoutIsTty) sinks.stdout(content);
      else sinks.stdout(typeof content === "string" ? escapeControls(content) : escapeControls(Buffer.from(content).toString("latin1")));
    },
    progress: (text) => {
      if (sinks.stderrIsTty) sinks.stderr(text);
    },
    painted: (stream, text) => sinks[stream](escapeControlsButColour(text)),
    stdoutIsTty: sinks.stdoutIsTty,
    stderrIsTty: sinks.stderrIsTty,
  };
}

/** Writes all of `bytes` to a file descriptor, waiting while a non-blocking pipe is full. */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(PAUSE, 0, 0, 5);
    }
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** The process's own stdout and stderr, each write checked. */
export function processSinks(): Sinks {
  const sink = (fd: number, stream: "stdout" | "stderr") => (content: string | Uint8Array) => {
    try {
      writeAllSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    } catch (error) {
      throw new OutputFailure(stream, (error as NodeJS.ErrnoException).code ?? "EIO");
    }
  };
  return {
    stdout: sink(1, "stdout"),
    stderr: sink(2, "stderr"),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
  };
}

/** Something to undo when the run is interrupted: remove temporary files, stop a browser. Synchronous. */
type Cleanup = () => void;
const cleanups = new Set<Cleanup>();

/** Registers a clean-up for a signal; returns the function that unregisters it. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/** Runs every registered clean-up (each at most once), newest first; never throws. */
export function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // A clean-up that fails (a file already gone) must not stop the others.
    }
  }
}

/** A command's own handling of Ctrl-C (simulate stops its draws and says so); at most one at a time. */
let interruptCatcher: (() => void) | undefined;

/**
 * Lets the running command handle the next SIGINT itself instead of ending the run: `handler` is
 * called once, and the command then ends with its own exit code. A second SIGINT, SIGTERM or SIGHUP
 * ends the run as usual. Returns the function that gives SIGINT back.
 */
export function catchInterrupt(handler: () => void): () => void {
  interruptCatcher = handler;
  return () => {
    if (interruptCatcher === handler) interruptCatcher = undefined;
  };
}

export const SIGNAL_EXIT: Readonly<Record<"SIGINT" | "SIGTERM" | "SIGHUP", number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Installs the signal handlers of a CLI process: clean up, then exit with 128 + the signal number. */
export function handleSignals(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      const catcher = signal === "SIGINT" ? interruptCatcher : undefined;
      if (catcher !== undefined) {
        interruptCatcher = undefined;
        catcher();
        return;
      }
      runCleanups();
      process.exit(code);
    });
  }
}

/** Lets pending signals be handled: long writes call this between chunks. */
export const yieldToSignals = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
