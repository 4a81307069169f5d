import { type Comparison, compareResults } from "../analysis/compare.js";
import { leafScale, scaleValues } from "../analysis/shared.js";
import { applySettings, checkSettings } from "../analysis/what-if.js";
import { checkAssessment } from "../assessment/check.js";
import type { Assessment, Judgement } from "../assessment/schema.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type Framework, type FrameworkIndex, indexFramework } from "../framework/model.js";
import type { RatingScale } from "../rating/schema.js";
import type { ScoreResult } from "../scoring/result.js";
import { score } from "../scoring/score.js";

/** One editable judgement field of an element or results MI. */
export type Edit =
  | { readonly kind: "score"; readonly id: string; readonly value: string }
  | { readonly kind: "rationale"; readonly id: string; readonly value: string }
  | { readonly kind: "evidence"; readonly id: string; readonly value: readonly string[] };

/**
 * An opened assessment being edited: the version as opened, the current one, undo and redo, and
 * everything derived from the current one through the engine's own functions (`score`,
 * `compareResults`, `checkAssessment`). Edits go through `checkSettings` and
 * `applySettings`, as `mopan what-if --set` does.
 */
export class Session {
  readonly framework: Framework;
  readonly scale: RatingScale;
  readonly index: FrameworkIndex;
  readonly opened: Assessment;
  readonly openedResult: ScoreResult;
  readonly #scales: readonly RatingScale[];
  #current: Assessment;
  #result: ScoreResult;
  #undo: Assessment[] = [];
  #redo: Assessment[] = [];
  #comparison: Comparison | undefined;

  constructor(framework: Framework, scale: RatingScale, assessment: Assessment, scales: readonly RatingScale[]) {
    this.framework = framework;
    this.scale = scale;
    this.index = indexFramework(framework);
    this.opened = assessment;
    this.#scales = scales;
    this.openedResult = score(framework, scale, assessment);
    this.#current = assessment;
    this.#result = this.openedResult;
  }

  get assessment(): Assessment {
    return this.#current;
  }

  get result(): ScoreResult {
    return this.#result;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** The values a leaf's score control offers: the scale's values, then N/E and N/A. */
  choices(id: string): string[] {
    const results = this.index.mis.get(id)?.scoring === "rubric";
    return [...scaleValues(leafScale(this.framework.policy, results)).map((v) => v.toString()), "N/E", "N/A"];
  }

  judgement(id: string): Judgement | undefined {
    return this.#current.judgements.find((j) => j.id === id);
  }

  /** Applies an edit; a score the framework refuses gives its diagnostics and changes nothing. */
  apply(edit: Edit): Diagnostic[] {
    let next: Assessment;
    if (edit.kind === "score") {
      const { values, diagnostics } = checkSettings(this.framework, [{ id: edit.id, value: edit.value }]);
      if (diagnostics.length > 0) return diagnostics;
      next = applySettings(this.#current, values);
    } else {
      next = withJudgement(this.#current, edit.id, (j) => {
        const { rationale: _r, evidence: _e, ...rest } = j;
        const rationale = edit.kind === "rationale" ? edit.value : j.rationale;
        const evidence = edit.kind === "evidence" ? edit.value : j.evidence;
        return { ...rest, ...(rationale ? { rationale } : {}), ...(evidence && evidence.length > 0 ? { evidence: [...evidence] } : {}) };
      });
    }
    if (JSON.stringify(this.judgement(edit.id)) === JSON.stringify(next.judgements.find((j) => j.id === edit.id))) return [];
    this.#undo.push(this.#current);
    this.#redo = [];
    this.#set(next);
    return [];
  }

  undo(): void {
    const previous = this.#undo.pop();
    if (!previous) return;
    this.#redo.push(this.#current);
    this.#set(previous);
  }

  redo(): void {
    const next = this.#redo.pop();
    if (!next) return;
    this.#undo.push(this.#current);
    this.#set(next);
  }

  /** The current version against the opened one, as `mopan compare opened edited` gives it. */
  comparison(): Comparison {
    this.#comparison ??= compareResults(this.openedResult, this.#result, { scaleA: this.scale, scaleB: this.scale, labels: { a: "opened", b: "edited" } });
    return this.#comparison;
  }

  /** Every known rating scale, for the sensitivity analysis to compare. */
  get scales(): readonly RatingScale[] {
    return this.#scales;
  }

  /** The validation diagnostics of the current version (the checks of `mopan validate`). */
  check(file: string): readonly Diagnostic[] {
    return checkAssessment(this.#current, { framework: this.framework, scale: this.scale, file }).diagnostics;
  }

  /** Leaves (elements and results MIs) whose judgement differs from the opened version. */
  changedLeaves(): Set<string> {
    const before = new Map(this.opened.judgements.map((j) => [j.id, JSON.stringify(j)]));
    const changed = new Set<string>();
    for (const j of this.#current.judgements) if (before.get(j.id) !== JSON.stringify(j)) changed.add(j.id);
    return changed;
  }

  #set(assessment: Assessment): void {
    this.#current = assessment;
    this.#result = score(this.framework, this.scale, assessment);
    this.#comparison = undefined;
  }
}

function withJudgement(assessment: Assessment, id: string, change: (j: Judgement) => Judgement): Assessment {
  const found = assessment.judgements.some((j) => j.id === id);
  const judgements = found ? assessment.judgements.map((j) => (j.id === id ? change(j) : j)) : [...assessment.judgements, change({ id })];
  return { ...assessment, judgements };
}
