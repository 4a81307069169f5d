import { pointerSegment } from "../diagnostics/diagnostic.js";
import { type LineIndex, lineAndColumn } from "./json.js";

export interface JsonLayout {
  /** Offset of the value at each JSON pointer. */
  readonly offsets: ReadonlyMap<string, number>;
  /** Pointers of object keys written more than once (JSON.parse keeps only the last). */
  readonly duplicateKeys: readonly { pointer: string; offset: number }[];
}

/**
 * Where each value of a (valid) JSON text sits, so diagnostics given as JSON pointers can name a
 * line and column. A small scanner, not a parser: it trusts JSON.parse to have accepted the text.
 */
export function layoutJson(text: string): JsonLayout {
  const offsets = new Map<string, number>();
  const duplicateKeys: { pointer: string; offset: number }[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // Iterative over containers to survive deep nesting.
  type Frame = { pointer: string; kind: "object" | "array"; index: number; keys: Set<string> };
  const stack: Frame[] = [];
  let pointer = "";
  for (;;) {
    ws();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      stack.push({ pointer, kind: c === "{" ? "object" : "array", index: 0, keys: new Set() });
    } else {
      if (c === '"') string();
      else while (i < text.length && !",]}".includes(text[i]!) && !/\s/.test(text[i]!)) i++;
    }
    // Find the next value's pointer, closing finished containers.
    for (;;) {
      const frame = stack.at(-1);
      if (!frame) return { offsets, duplicateKeys };
      ws();
      const ch = text[i];
      if (ch === "}" || ch === "]") {
        i++;
        stack.pop();
        continue;
      }
      if (ch === ",") {
        i++;
        ws();
      }
      if (text[i] === "}" || text[i] === "]") continue;
      if (frame.kind === "array") {
        pointer = `${frame.pointer}/${frame.index++}`;
      } else {
        const keyOffset = i;
        const key = string();
        ws();
        i++; // the colon
        pointer = `${frame.pointer}/${pointerSegment(key)}`;
        if (frame.keys.has(key)) duplicateKeys.push({ pointer, offset: keyOffset });
        frame.keys.add(key);
      }
      break;
    }
    if (i >= text.length) return { offsets, duplicateKeys };
  }
}

/** Line and column of the value at a pointer, or of its nearest enclosing value (`lines`: the text's `LineIndex`, for speed). */
export function locatePointer(text: string, layout: JsonLayout, pointer: string, lines?: LineIndex): { line: number; column: number } | undefined {
  let p = pointer;
  for (;;) {
    const offset = layout.offsets.get(p);
    if (offset !== undefined) return lines ? lines.at(offset) : lineAndColumn(text, offset);
    if (p === "") return undefined;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
