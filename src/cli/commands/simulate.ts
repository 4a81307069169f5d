import { join } from "node:path";
import { MAX_DRAWS, MAX_SEED, type SimulationResult, SimulationStopped, prepareSimulation } from "../../analysis/simulate.js";
import { UncertaintyModel } from "../../analysis/uncertainty-schema.js";
import { diagnosticsFromZod } from "../../text/from-zod.js";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import { readJson } from "../../io/json.js";
import { LIMITS } from "../../text/limits.js";
import { catchInterrupt } from "../../io/output.js";
import { BUILTIN_FRAMEWORK_DIR, display } from "../../io/registry.js";
import { renderSimulationText } from "../../render/analysis-text.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";
import { loadAssessment } from "../load-assessment.js";
import { assessmentTitle } from "../../assessment/title.js";

const DEFAULT_DRAWS = 10_000;
/** The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const STOPPED = 130;
const DEFAULT_SEED = 1;
export const DEFAULT_UNCERTAINTY = join(BUILTIN_FRAMEWORK_DIR, "uncertainty", "default.json");

/** Runs with at least this many random draws print their size before they start. */
const ANNOUNCE_WORK = 100_000_000;

const USAGE = `Usage: mopan simulate <assessment folder or file> [--draws N] [--seed S] [--uncertainty <file>] [--format text|json] [--frameworks <dir>] [--max-work N]

Monte Carlo: every scored element (and results MI) varies by the distribution of its MI's
computed evidence confidence, clamped to its scale; N/E and N/A stay as they are. Reports per KPI
the probability of each rating, the mean and a 5%-95% interval of the score.
  --draws        number of draws, 1 to ${MAX_DRAWS} (default ${DEFAULT_DRAWS})
  --seed         random seed, 1 to ${MAX_SEED} (default ${DEFAULT_SEED}); same seed, same output
  --uncertainty  the distributions (default framework/uncertainty/default.json: project assumptions, not MOPAN rules)
  --format       text (default) or json
  --frameworks   a folder with more frameworks (<id>.json) and rating-scales/
  --max-work     the most random draws (draws times varying elements) to make; default ${LIMITS.simulationWork.max.toLocaleString("en-US")}
A run of more than ${ANNOUNCE_WORK.toLocaleString("en-US")} random draws prints its size first; on a terminal a progress bar
follows. Ctrl-C stops the run: nothing is written, and the exit code is 130.
`;

function positiveInteger(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer (got ${JSON.stringify(value)}).`, USAGE);
  const n = Number(value);
  if (n > max) throw new UsageError(`--${name} must be at most ${max} (got ${value}).`, USAGE);
  return n;
}

export async function simulateCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      draws: { type: "string", short: "n" },
      seed: { type: "string", short: "s" },
      uncertainty: { type: "string" },
      format: { type: "string", short: "f" },
      frameworks: { type: "string" },
      "max-work": { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "text", ["text", "json"], "format", USAGE);
  const draws = positiveInteger(values.draws, "draws", MAX_DRAWS, DEFAULT_DRAWS);
  const seed = positiveInteger(values.seed, "seed", MAX_SEED, DEFAULT_SEED);
  const maxWork = positiveInteger(values["max-work"], "max-work", Number.MAX_SAFE_INTEGER, LIMITS.simulationWork.max);
  if (positionals.length !== 1) throw new UsageError("simulate takes exactly one assessment.", USAGE);

  const file = values.uncertainty ?? DEFAULT_UNCERTAINTY;
  const read = readJson(file);
  const parsed = read.ok ? UncertaintyModel.safeParse(read.value) : undefined;
  if (!read.ok || !parsed?.success) {
    io.stderr(renderDiagnosticsText(read.ok ? diagnosticsFromZod(parsed!.error!, read.value, display(file)) : read.diagnostics));
    io.stderr(`Not simulated: the uncertainty model ${display(file)} is invalid.\n`);
    return EXIT.invalid;
  }
  const input = await loadAssessment(positionals[0]!, io, "simulated", values.frameworks);
  if (!input) return EXIT.invalid;
  const stop = new AbortController();

  const prepared = prepareSimulation(input.framework, input.scale, input.assessment, { draws, seed, uncertainty: parsed.data, onProgress: (done) => progress.update(done), signal: stop.signal });
  const size = `${draws.toLocaleString("en-US")} draws x ${prepared.varied.toLocaleString("en-US")} varying elements = ${prepared.work.toLocaleString("en-US")} random draws`;
  if (prepared.work > maxWork) {
    const limit = LIMITS.simulationWork;
    io.stderr(
      renderDiagnosticsText([
        {
          file: display(positionals[0]!),
          code: limit.code,
          severity: "error",
          expected: `at most ${maxWork} ${limit.unit}`,
          received: `${prepared.work} ${limit.unit}`,
          message: `This run would make ${size}; the limit is ${maxWork.toLocaleString("en-US")}. Use fewer draws, or raise the limit with --max-work ${prepared.work}.`,
        },
      ]),
    );
    io.stderr("Not simulated: the run is larger than the work limit.\n");
    return EXIT.invalid;
  }
  // The first Ctrl-C stops the draws and the run ends with what it says; a second one ends it at once.
  const release = catchInterrupt(() => stop.abort());
  if (prepared.work >= ANNOUNCE_WORK) io.stderr(`simulate: ${size}${io.stderrIsTty ? "; Ctrl-C stops it" : ""}.\n`);
  const progress = progressBar(io, draws);
  let result: SimulationResult;
  try {
    // Chunks of draws, with a turn of the event loop between them so Ctrl-C is heard.
    result = await prepared.runAsync(() => new Promise((resolve) => setImmediate(resolve)));
  } catch (error) {
    if (!(error instanceof SimulationStopped)) throw error;
    progress.done();
    io.stderr(`Stopped after ${error.done.toLocaleString("en-US")} of ${error.total.toLocaleString("en-US")} draws; nothing was written.\n`);
    return STOPPED;
  } finally {
    release();
  }
  progress.done();
  io[format === "json" ? "data" : "stdout"](format === "json" ? JSON.stringify(result, null, 2) + "\n" : renderSimulationText(result, input.scale, assessmentTitle(input.assessment)));
  return EXIT.ok;
}

/** A progress bar on stderr, only on a terminal and only for long runs (> 20,000 draws, or after 500 ms). */
function progressBar(io: Terminal, total: number): { update: (done: number) => void; done: () => void } {
  if (!io.stderrIsTty) return { update: () => {}, done: () => {} };
  const started = Date.now();
  const width = 30;
  let shown = false;
  return {
    update: (done) => {
      if (!shown && total <= 20_000 && Date.now() - started < 500) return;
      shown = true;
      const filled = Math.round((done / total) * width);
      const elapsed = Date.now() - started;
      const left = done > 0 ? Math.ceil((elapsed * (total - done)) / done / 1000) : 0;
      io.progress(`\rsimulating [${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${done}/${total}, about ${left} s left`);
    },
    done: () => {
      if (shown) io.progress(`\r${" ".repeat(width + 40)}\r`);
    },
  };
}
