/**
 * Duplicate keys are found by counting: the keys written in the text (counted in the depth scan)
 * against the keys JSON.parse kept (counted in the limits walk); only when they differ is the text
 * laid out to name them. These tests fail if a duplicate is missed or a position moves.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDocumentFromText } from "../../src/io/json.js";
import { LineIndex } from "../../src/text/json.js";
import { layoutJson, locatePointer } from "../../src/text/json-locate.js";
import { scanJsonText, walkJsonLimits } from "../../src/text/limits.js";

const ROOT = new URL("../../", import.meta.url).pathname;

const duplicates = (text: string) => {
  const read = jsonDocumentFromText(text, "x.json");
  if (!read.ok) throw new Error(JSON.stringify(read.diagnostics));
  return read.value.duplicateKeys.map((d) => ({ pointer: d.pointer, line: d.line, column: d.column, code: d.code, message: d.message }));
};

describe("duplicate keys", () => {
  it("at the top level, with their line and column", () => {
    expect(duplicates('{"a": 1,\n "b": 2,\n "a": 3}')).toEqual([
      { pointer: "/a", line: 3, column: 2, code: "duplicate-key", message: 'Key "a" appears twice in the same object; only the last would count.' },
    ]);
  });

  it("nested, in arrays of objects, and several in one text", () => {
    const text = JSON.stringify({ x: { y: 1 }, list: [{ id: 1 }, { id: 2 }] })
      .replace('"y":1', '"y":1,"y":2')
      .replace('"id":2', '"id":2,"id":3,"id":4');
    expect(duplicates(text).map((d) => d.pointer)).toEqual(["/x/y", "/list/1/id", "/list/1/id"]);
  });

  it('written with escapes: "a\\u0062" and "ab" are one key, "a\\u0063" and "ab" are two', () => {
    expect(duplicates('{"a\\u0062": 1, "ab": 2}').map((d) => d.pointer)).toEqual(["/ab"]);
    expect(duplicates('{"ab": 1, "a\\u0063": 2}')).toEqual([]);
    expect(duplicates('{"a/b": 1, "a\\/b": 2}').map((d) => d.message)).toEqual(['Key "a/b" appears twice in the same object; only the last would count.']);
  });

  it("with whitespace before the colon, and not fooled by colons, quotes and backslashes inside strings", () => {
    expect(duplicates('{"a" \n\t: 1, "a"\r\n:2}').map((d) => d.pointer)).toEqual(["/a"]);
    expect(duplicates('{"a": "b\\": \\"a\\": ", "c\\\\": ":", "d": ["e:", "\\\\"]}')).toEqual([]);
    expect(duplicates('{"a": "b\\": ", "c\\\\": ":", "c\\\\": 1}').map((d) => d.pointer)).toEqual(["/c\\"]);
  });

  it('"__proto__" written twice is refused as a forbidden key, as any "__proto__" is', () => {
    for (const text of ['{"__proto__": 1, "__proto__": 2}', '{"a": {"__proto__": {}, "__proto__": []}, "b": 1, "b": 2}']) {
      const read = jsonDocumentFromText(text, "x.json");
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.diagnostics.map((d) => d.code)).toContain("forbidden-key");
    }
  });

  it("the reference assessment has none, and every value is placed where the full layout places it", () => {
    const text = readFileSync(join(ROOT, "assessments/iom-2023/assessment.json"), "utf8");
    const read = jsonDocumentFromText(text, "a.json");
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.duplicateKeys).toEqual([]);
    const layout = layoutJson(text);
    const lines = new LineIndex(text);
    expect(layout.offsets.size).toBeGreaterThan(2000);
    for (const pointer of [...layout.offsets.keys(), "/judgements/0/nothing", "/nothing/at/all"]) {
      expect(read.value.locate(pointer)).toEqual(locatePointer(text, layout, pointer, lines));
    }
  });
});

/** A JSON text whose objects may write a key twice, in plain or escaped form, with any whitespace. */
const jsonText = (() => {
  const ws = fc.constantFrom("", " ", "\n", "\t", "\r\n  ");
  const escaped = (s: string) =>
    fc
      .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
      .map((flags) => [...s].map((ch, i) => (flags[i] ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}` : JSON.stringify(ch).slice(1, -1))).join(""));
  const key = fc.constantFrom("a", "b", "ab", "a:b", '"', "\\", "x y", "é", "__proto__", "0", "").chain((k) => escaped(k).map((e) => `"${e}"`));
  const { value } = fc.letrec<{ value: string; leaf: string; array: string; object: string }>((tie) => ({
    leaf: fc.oneof(
      fc.constantFrom("1", "-2.5e3", "true", "false", "null"),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('"a\\": "', '":"', '"\\\\"'),
    ),
    array: fc.array(tie("value"), { maxLength: 4 }).chain((items) => ws.map((w) => `[${w}${items.join(`${w},`)}]`)),
    object: fc.array(fc.tuple(key, ws, ws, tie("value")), { maxLength: 5 }).map((entries) => `{${entries.map(([k, before, after, v]) => `${before}${k}${before}:${after}${v}`).join(",")}}`),
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("array"), tie("object")),
  }));
  return value;
})();

describe("the key count decides like the full layout", () => {
  it("on random JSON texts: the counts differ exactly when the layout finds a duplicate key, and the same ones are reported", () => {
    const tally = { refused: 0, duplicates: 0, clean: 0 };
    fc.assert(
      fc.property(jsonText, (text) => {
        const parsed: unknown = JSON.parse(text);
        const walked = walkJsonLimits(parsed);
        const layout = layoutJson(text);
        const read = jsonDocumentFromText(text, "x.json");
        if (walked.diagnostics.length > 0) {
          tally.refused++;
          expect(read.ok).toBe(false);
          return;
        }
        tally[layout.duplicateKeys.length > 0 ? "duplicates" : "clean"]++;
        expect(scanJsonText(text).keys !== walked.keys).toBe(layout.duplicateKeys.length > 0);
        expect(read.ok).toBe(true);
        if (read.ok) expect(read.value.duplicateKeys.map((d) => d.pointer)).toEqual(layout.duplicateKeys.map((d) => d.pointer));
      }),
      { numRuns: 3000 },
    );
    // Texts with and without duplicate keys were both checked, not only refused ones.
    expect(tally.duplicates).toBeGreaterThan(3000 / 20);
    expect(tally.clean).toBeGreaterThan(3000 / 20);
  });
});

/** The depth scan by its definition: every character in turn, strings skipped up to a quote no backslash escapes. */
function tooDeepByCharacter(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "[" || c === "{") {
      if (++depth > max) return i;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return undefined;
}

describe("the depth scan, which jumps from quote to bracket", () => {
  it("stops where the character-by-character scan stops, on any text (JSON or not)", () => {
    const piece = fc.constantFrom("[", "]", "{", "}", '"', "\\", "\\\\", '\\"', ":", " ", "\n", "a", ",");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 0, max: 6 }), (pieces, max) => {
        const text = pieces.join("");
        expect(scanJsonText(text, max).tooDeep).toBe(tooDeepByCharacter(text, max));
      }),
      { numRuns: 5000 },
    );
  });
});
