import { type Diagnostic, appendAll } from "../diagnostics/diagnostic.js";
import { type FrameworkEnvironment, type FrameworkSource, loadFramework, unknownFramework } from "../framework/load.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import type { FrameworkCatalog } from "../io/assessment-source.js";
import { jsonDocumentFromText } from "../io/json.js";
import { loadRatingScale } from "../rating/load.js";
import type { RatingScale } from "../rating/schema.js";

/** A JSON file as text, with the name diagnostics give it. */
export interface TextFile {
  readonly name: string;
  readonly text: string;
}

/** The id of the page element that holds the embedded frameworks, rating scales and uncertainty model (JSON). */
export const BUILTINS_ID = "mopan-builtins";
/** The element holding the workbook library's script as a JSON string (inert: the page never runs it). */
export const WORKBOOK_LIBRARY_ID = "mopan-workbook-library";

/** The built-in frameworks and rating scales as the build embeds them in the page: file texts by id. */
export interface EmbeddedFrameworks {
  readonly frameworks: Readonly<Record<string, string>>;
  readonly ratingScales: Readonly<Record<string, string>>;
  readonly uncertainty: string;
}

interface Entry {
  readonly raw: unknown;
  readonly file: string;
}

/**
 * The `Registry` of the browser: frameworks and rating scales from texts instead of folders
 * (the embedded built-in ones, then files the user adds). Like the registry, it resolves and
 * validates them through `loadFramework` and `loadRatingScale`, and a built-in id cannot be
 * replaced.
 */
export class MemoryCatalog implements FrameworkCatalog, FrameworkEnvironment {
  readonly #frameworks = new Map<string, Entry>();
  readonly #scaleFiles = new Map<string, Entry>();
  readonly #scales = new Map<string, RatingScale | undefined>();
  readonly #loaded = new Map<string, { value?: Framework; diagnostics: readonly Diagnostic[] }>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(embedded: EmbeddedFrameworks) {
    for (const [id, text] of Object.entries(embedded.frameworks)) this.#frameworks.set(id, { raw: JSON.parse(text), file: `framework/${id}.json` });
    for (const [id, text] of Object.entries(embedded.ratingScales)) this.#scaleFiles.set(id, { raw: JSON.parse(text), file: `framework/rating-scales/${id}.json` });
  }

  /**
   * Adds a framework or rating-scale file (a rating scale has `bands`). Returns what is wrong with
   * it: not JSON, no id, an id already known, or its own validation problems.
   */
  add(file: TextFile): { kind?: "framework" | "rating scale"; id?: string; diagnostics: Diagnostic[] } {
    const read = jsonDocumentFromText(file.text, file.name);
    if (!read.ok) return { diagnostics: read.diagnostics };
    const raw = read.value.value;
    const id = isRecord(raw) && typeof raw["id"] === "string" ? raw["id"] : undefined;
    const fail = (message: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ file: file.name, pointer: "/id", code: "unusable-framework-file", severity: "error", message }] });
    if (id === undefined) return fail(`${file.name} has no "id": it is not a framework or rating-scale file.`);
    const isScale = isRecord(raw) && Array.isArray(raw["bands"]);
    const files = isScale ? this.#scaleFiles : this.#frameworks;
    if (files.has(id)) return fail(`A ${isScale ? "rating scale" : "framework"} "${id}" is already known; give the file another id.`);
    files.set(id, { raw, file: file.name });
    this.#loaded.clear();
    const diagnostics = [...read.value.duplicateKeys];
    if (isScale) {
      this.#scales.delete(id);
      appendAll(diagnostics, loadRatingScale(raw, file.name).diagnostics);
    } else {
      appendAll(diagnostics, this.framework(id).diagnostics);
    }
    return { kind: isScale ? "rating scale" : "framework", id, diagnostics };
  }

  findFramework(id: string): FrameworkSource | undefined {
    return this.#frameworks.get(id);
  }

  findRatingScale(id: string): RatingScale | undefined {
    if (!this.#scales.has(id)) {
      const entry = this.#scaleFiles.get(id);
      const loaded = entry ? loadRatingScale(entry.raw, entry.file) : undefined;
      if (loaded) appendAll(this.diagnostics, loaded.diagnostics);
      this.#scales.set(id, loaded?.value);
    }
    return this.#scales.get(id);
  }

  ratingScales(): RatingScale[] {
    return [...this.#scaleFiles.keys()].sort().flatMap((id) => this.findRatingScale(id) ?? []);
  }

  framework(id: string): { value?: Framework; diagnostics: readonly Diagnostic[] } {
    let result = this.#loaded.get(id);
    if (!result) {
      const source = this.findFramework(id);
      result = source ? loadFramework(source, this) : { diagnostics: [unknownFramework(id, this.frameworkIds())] };
      this.#loaded.set(id, result);
    }
    return result;
  }

  frameworkIds(): string[] {
    return [...this.#frameworks.keys()].sort();
  }
}
