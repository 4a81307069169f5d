import { type SensitivityResult, sensitivity } from "../analysis/sensitivity.js";
import { type SimulationResult, simulate } from "../analysis/simulate.js";
import { UncertaintyModel } from "../analysis/uncertainty-schema.js";
import type { Assessment } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import type { RatingScale } from "../rating/schema.js";
import { type LoadedWorkbook, loadWorkbookSheets } from "../io/workbook/read.js";
import { type WorkbookInput, writeWorkbook } from "../io/workbook/write.js";

/**
 * The work the page hands to a Web Worker so that it never freezes: the simulation (seconds for
 * many draws) and the sensitivity search (a few hundred milliseconds for the IOM assessment).
 * Both call the engine's own `simulate` and `sensitivity`, with the options their commands use.
 */
export type WorkerRequest =
  | {
      readonly type: "simulate";
      readonly framework: Framework;
      readonly scale: RatingScale;
      readonly assessment: Assessment;
      /** The uncertainty model's JSON text (the built-in framework/uncertainty/default.json). */
      readonly uncertainty: string;
      readonly draws: number;
      readonly seed: number;
    }
  | {
      readonly type: "sensitivity";
      readonly framework: Framework;
      readonly scale: RatingScale;
      readonly assessment: Assessment;
      /** Every known rating scale, compared as `mopan sensitivity` compares them. */
      readonly scales: readonly RatingScale[];
    };

/**
 * The work on workbooks, done in a worker started with the workbook library (exceljs, embedded in
 * the page as inert text) ahead of the page's script, so the page never evaluates the library
 * itself: unpacking a workbook into its sheets (`loadWorkbookSheets`), and writing one
 * (`writeWorkbook`). The page reads the sheets with `assembleWorkbook`, as the CLI does.
 */
export type WorkbookRequest = { readonly type: "load-workbook"; readonly bytes: Uint8Array; readonly name: string } | { readonly type: "write-workbook"; readonly input: WorkbookInput };

export type WorkbookMessage =
  | { readonly type: "workbook-loaded"; readonly loaded: LoadedWorkbook }
  | { readonly type: "workbook-written"; readonly bytes: Uint8Array }
  | { readonly type: "failed"; readonly message: string };

export async function handleWorkbookRequest(request: WorkbookRequest): Promise<WorkbookMessage> {
  if (request.type === "load-workbook") return { type: "workbook-loaded", loaded: await loadWorkbookSheets(request.bytes, request.name) };
  return { type: "workbook-written", bytes: await writeWorkbook(request.input) };
}

export type WorkerMessage =
  | { readonly type: "progress"; readonly done: number; readonly total: number }
  | { readonly type: "simulated"; readonly result: SimulationResult }
  | { readonly type: "sensitivity"; readonly result: SensitivityResult }
  | { readonly type: "failed"; readonly message: string };

export function handleRequest(request: WorkerRequest, post: (message: WorkerMessage) => void): void {
  if (request.type === "sensitivity") {
    post({ type: "sensitivity", result: sensitivity(request.framework, request.scale, request.assessment, { scales: request.scales }) });
    return;
  }
  const model = UncertaintyModel.safeParse(JSON.parse(request.uncertainty));
  if (!model.success) {
    post({ type: "failed", message: "The built-in uncertainty model is invalid." });
    return;
  }
  const result = simulate(request.framework, request.scale, request.assessment, {
    draws: request.draws,
    seed: request.seed,
    uncertainty: model.data,
    onProgress: (done, total) => post({ type: "progress", done, total }),
  });
  post({ type: "simulated", result });
}
