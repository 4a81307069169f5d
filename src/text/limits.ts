import { type Diagnostic, pointerSegment } from "../diagnostics/diagnostic.js";

/** One declared limit on input: the diagnostic code that reports it, its bound, and what it bounds. */
export interface Limit {
  readonly code: string;
  readonly max: number;
  readonly unit: string;
  readonly applies: string;
}

/**
 * Every limit on input, in one place. They are checked when a file is read (`src/io/json.ts`,
 * `src/text/csv-read.ts`), before anything else looks at its content, so nothing later (zod, the
 * checks, scoring, analyses, rendering) ever sees input beyond them: a file over a limit is
 * refused whole with the limit's own diagnostic code, like a file that is not JSON.
 *
 * The bounds are far above any real assessment or framework (the IOM reference assessment is
 * 123 KB with 2,387 JSON values nested 4 levels deep; framework/mopan-3.1.json is 141 KB with
 * 2,331 values nested 10 deep) and low enough that every command stays within seconds on input at
 * the limits (the worst measured: about 5 s to list 200,000 problems). The schemas set tighter bounds on
 * single fields (an id is at most 64 characters, a rationale at most 100,000); those are reported
 * by field as `too-large`.
 */
export const LIMITS = {
  fileSize: {
    code: "file-too-large",
    max: 32 * 1024 * 1024,
    unit: "bytes",
    applies: "one input file, JSON or CSV; checked before the file is read",
  },
  jsonDepth: {
    code: "nesting-too-deep",
    max: 64,
    unit: "levels",
    applies: "nesting of arrays and objects in a JSON file (the engine's formats nest at most 12 levels); checked by a scan of the text before it is parsed",
  },
  jsonValues: {
    code: "too-many-values",
    max: 250_000,
    unit: "values",
    applies: "strings, numbers, booleans, nulls, arrays and objects in one JSON file, together",
  },
  jsonEntries: {
    code: "too-many-entries",
    max: 100_000,
    unit: "entries",
    applies: "items of one JSON array or keys of one object: judgements, evidence entries, the ids of one list, suggested scores, ...",
  },
  stringLength: {
    code: "string-too-long",
    max: 100_000,
    unit: "characters",
    applies: "one JSON string, key or value: a rationale, a quote, a title, ...",
  },
  csvRows: {
    code: "too-many-rows",
    max: 100_000,
    unit: "rows",
    applies: "rows of one CSV table (scores.csv, evidence.csv), the header and blank rows included",
  },
  csvColumns: {
    code: "too-many-columns",
    max: 1_000,
    unit: "cells",
    applies: "cells of one CSV row",
  },
  csvCell: {
    code: "cell-too-long",
    max: 100_000,
    unit: "characters",
    applies: "one CSV cell",
  },
  scaleValues: {
    code: "scale-too-fine",
    max: 10_000,
    unit: "values",
    applies: "scores one scale of a framework's policy allows (elementScale, resultsScale: min to max in steps of step); MOPAN's have 5 and 4; checked when a framework is loaded",
  },
  overlayDepth: {
    code: "overlay-too-deep",
    max: 32,
    unit: "overlays",
    applies: "frameworks in one overlay chain (an overlay extends a framework that may itself be an overlay); the shipped crisis overlay is 1 deep; checked when a framework is loaded",
  },
  folderDepth: {
    code: "folder-too-deep",
    max: 32,
    unit: "levels",
    applies: "folders below a folder given to validate; checked as the folders are listed",
  },
  simulationWork: {
    code: "work-too-large",
    max: 1_000_000_000,
    unit: "random draws",
    applies: "draws times varying leaves of one simulate run (about 30 s here); checked before the run starts, and raised by --max-work",
  },
  schemaProblems: {
    code: "too-many-problems",
    max: 10_000,
    unit: "problems",
    applies: "problems with the shape of one file (schema diagnostics) that are listed; one more diagnostic says the rest were not",
  },
} as const satisfies Record<string, Limit>;

/**
 * Not a limit but a rule checked in the same pass: `__proto__` is refused as a JSON object key
 * (code `forbidden-key`). JSON.parse keeps it as an ordinary property, but any code that copies
 * it into a plain object with `obj[key] = value` (zod's records do) would set that object's
 * prototype instead, or silently drop the entry. No id or name in the engine's formats is
 * `__proto__`; `constructor` and `prototype` are ordinary keys, reported as unknown where they are.
 */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__"];

/**
 * Also a rule of the same pass: no text may hold U+0000 (NUL) or a lone UTF-16 surrogate (an
 * escape such as "\ud800" with no partner), code `forbidden-character`. Neither survives every
 * form an assessment takes: a NUL written to scores.csv makes the folder unreadable (a NUL byte
 * marks a binary file), and a lone surrogate becomes U+FFFD in UTF-8, changing the assessment's
 * hash. They are refused wherever text is read (JSON strings and keys, CSV cells), so `validate`
 * refuses them and nothing downstream ever holds one.
 */
export function forbiddenCharacter(text: string): string | undefined {
  const found = FORBIDDEN_CHARACTER.exec(text);
  if (found === null) return undefined;
  const c = found[0].charCodeAt(0);
  return c === 0 ? `a NUL character (U+0000) at character ${found.index + 1}` : `a lone surrogate (U+${c.toString(16).toUpperCase()}, half of a character) at character ${found.index + 1}`;
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The diagnostic for text holding a forbidden character (`forbiddenCharacter`). */
export const forbiddenCharacterMessage = (what: string, found: string): string =>
  `${what} holds ${found}, which no assessment text may hold (it would not survive CSV, UTF-8 or the content hash). Remove it.`;

/** At most this many limit diagnostics per file: one is enough to refuse it, a few help to fix it. */
const MAX_REPORTED = 20;

const exceeded = (limit: Limit, found: string, where: string): string => `${where} ${found}; the limit is ${limit.max.toLocaleString("en-US")} ${limit.unit} (${limit.applies.split(";")[0]}).`;

/**
 * The place where a JSON text first nests deeper than `LIMITS.jsonDepth`, found by a scan of the
 * text (no parsing, no recursion), or undefined. Strings are skipped, so brackets inside them do
 * not count. Runs on any text, valid JSON or not.
 */
export function findTooDeep(text: string, max: number = LIMITS.jsonDepth.max): number | undefined {
  return scanJsonText(text, max).tooDeep;
}

/** What one scan of a JSON text finds before it is parsed. */
export interface JsonTextScan {
  /** Where the text first nests deeper than the limit (`findTooDeep`), or undefined. */
  readonly tooDeep: number | undefined;
  /**
   * Strings followed, after whitespace, by a colon: in valid JSON the object keys as written,
   * every duplicate included. JSON.parse keeps one key of each duplicate, so this equals
   * `JsonWalk.keys` of the parsed value exactly when no object has a key written twice.
   */
  readonly keys: number;
}

/** `findTooDeep` and the keys written in the text, in one scan (the keys are counted up to where it stops). */
export function scanJsonText(text: string, max: number = LIMITS.jsonDepth.max): JsonTextScan {
  // Native searches carry the scan from one quote or bracket to the next: a loop over every
  // character costs milliseconds in a process that has just started, before it is compiled.
  const structural = /["[\]{}]/g;
  let depth = 0;
  let keys = 0;
  while (structural.test(text)) {
    const i = structural.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string: up to the next quote that an even run of backslashes precedes.
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return { tooDeep: undefined, keys };
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      let next = end + 1;
      while (isJsonSpace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === 58) keys++;
      structural.lastIndex = next;
    } else {
      // Brackets often come in runs ("]]]"): each that follows is taken without another search.
      let j = i;
      for (let b = c; ; b = text.charCodeAt(++j)) {
        if (b === 91 || b === 123) {
          if (++depth > max) return { tooDeep: j, keys };
        } else if (b === 93 || b === 125) {
          if (depth > 0) depth--;
        } else break;
      }
      structural.lastIndex = j;
    }
  }
  return { tooDeep: undefined, keys };
}

const isJsonSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The diagnostic for a text nested too deep at `offset` (line and column added by the caller). */
export function tooDeep(file: string | undefined): Diagnostic {
  const limit = LIMITS.jsonDepth;
  return {
    ...(file === undefined ? {} : { file }),
    code: limit.code,
    severity: "error",
    expected: `at most ${limit.max} ${limit.unit}`,
    message: `Arrays and objects nest more than ${limit.max} levels deep here; the limit is ${limit.max} levels (the engine's formats nest at most 12). The file is not read.`,
  };
}

interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly key: string;
}

const pointerOf = (frame: Frame): string => {
  const segments: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) segments.push(pointerSegment(f.key));
  return segments
    .reverse()
    .map((s) => `/${s}`)
    .join("");
};

/**
 * Checks parsed JSON against the limits on values, entries and strings, and for forbidden keys.
 * Iterative, so it is safe on any depth (the depth limit is checked on the text before parsing).
 * Returns at most a few diagnostics, with JSON pointers; empty when the value is within limits.
 */
export function checkJsonLimits(value: unknown, file?: string): Diagnostic[] {
  return walkJsonLimits(value, file).diagnostics;
}

/** What `walkJsonLimits` finds. */
export interface JsonWalk {
  /** `checkJsonLimits`'s diagnostics. */
  readonly diagnostics: Diagnostic[];
  /** Own keys of all objects, summed; complete when there are no diagnostics (see `JsonTextScan.keys`). */
  readonly keys: number;
}

/** `checkJsonLimits`, also counting the keys of the objects it walks. */
export function walkJsonLimits(value: unknown, file?: string): JsonWalk {
  const out: Diagnostic[] = [];
  let keyCount = 0;
  const at = (pointer: string) => (file === undefined ? { pointer } : { file, pointer });
  const push = (limit: Limit, pointer: string, message: string, received: string) =>
    out.push({ ...at(pointer), code: limit.code, severity: "error", expected: `at most ${limit.max} ${limit.unit}`, received, message });
  const stack: Frame[] = [{ value, parent: undefined, key: "" }];
  let count = 0;
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (++count > LIMITS.jsonValues.max) {
      // About the whole file: no pointer.
      const limit = LIMITS.jsonValues;
      out.push({
        ...(file === undefined ? {} : { file }),
        code: limit.code,
        severity: "error",
        expected: `at most ${limit.max} ${limit.unit}`,
        received: `more than ${limit.max}`,
        message: exceeded(limit, `more than ${limit.max.toLocaleString("en-US")} values`, "The file holds"),
      });
      break;
    }
    if (typeof v === "string") {
      const forbidden = forbiddenCharacter(v);
      if (forbidden !== undefined) {
        out.push({ ...at(pointerOf(frame)), code: "forbidden-character", severity: "error", received: forbidden, message: forbiddenCharacterMessage("This string", forbidden) });
      }
      if (v.length > LIMITS.stringLength.max) {
        push(LIMITS.stringLength, pointerOf(frame), exceeded(LIMITS.stringLength, `${v.length.toLocaleString("en-US")} characters long`, "This string is"), `${v.length} characters`);
      }
    } else if (Array.isArray(v)) {
      if (v.length > LIMITS.jsonEntries.max) {
        push(LIMITS.jsonEntries, pointerOf(frame), exceeded(LIMITS.jsonEntries, `${v.length.toLocaleString("en-US")} items`, "This array has"), `${v.length} items`);
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: frame, key: String(i) });
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      if (keys.length > LIMITS.jsonEntries.max) {
        push(LIMITS.jsonEntries, pointerOf(frame), exceeded(LIMITS.jsonEntries, `${keys.length.toLocaleString("en-US")} keys`, "This object has"), `${keys.length} keys`);
        continue;
      }
      keyCount += keys.length;
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k]!;
        const child: Frame = { value: (v as Record<string, unknown>)[key], parent: frame, key };
        if (FORBIDDEN_KEYS.includes(key)) {
          out.push({
            ...at(pointerOf(child)),
            code: "forbidden-key",
            severity: "error",
            received: key,
            message: `"${key}" cannot be a key: it would change or escape the object it is in. No id or name in the engine's formats is "${key}".`,
          });
          continue;
        }
        const forbidden = forbiddenCharacter(key);
        if (forbidden !== undefined) {
          out.push({ ...at(pointerOf(child)), code: "forbidden-character", severity: "error", received: forbidden, message: forbiddenCharacterMessage("This key", forbidden) });
          continue;
        }
        if (key.length > LIMITS.stringLength.max) {
          push(LIMITS.stringLength, pointerOf(frame), exceeded(LIMITS.stringLength, `${key.length.toLocaleString("en-US")} characters long`, "A key of this object is"), `${key.length} characters`);
          continue;
        }
        stack.push(child);
      }
    }
  }
  return { diagnostics: out, keys: keyCount };
}
