import { type SensitivityResult, sensitivity } from "../analysis/sensitivity.js";
import { type SimulationResult, simulate } from "../analysis/simulate.js";
import { UncertaintyModel } from "../analysis/uncertainty-schema.js";
import type { Assessment } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import type { RatingScale } from "../rating/schema.js";

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
