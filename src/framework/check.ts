import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ID_FORMS, childId, parseId } from "./ids.js";
import { type Node, type Origin, at, isRecord, isRubricMi, walk } from "./tree.js";

const LABEL = { "performance-area": "Performance area", kpi: "KPI", mi: "MI", element: "Element" } as const;

const error = (origin: Origin, code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  ...origin,
  code,
  severity: "error",
  message,
  ...extra,
});

export interface TreeCheckOptions {
  /** Ids removed by an overlay: their numbers may be missing without a gap being reported. */
  readonly retired?: ReadonlySet<string>;
  /** Levels of the results scale, which every rubric must describe. */
  readonly resultsLevels?: readonly string[];
}

/** Structural checks of a framework tree: ids, numbering, empty groups, rubrics, provenance. */
export function checkTree(pas: readonly Node[], options: TreeCheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const retired = options.retired ?? new Set<string>();
  const seen = new Map<string, Node>();
  for (const node of walk(pas)) {
    if (node.id === "") continue;
    const first = seen.get(node.id);
    if (first) {
      out.push(error(at(node.origin, "id"), "duplicate-id", `Id "${node.id}" is used twice (first at ${first.origin.pointer}).`, { received: node.id }));
    } else seen.set(node.id, node);
  }

  checkSiblings(pas, [], retired, out);
  const kpis: { node: Node; n: number }[] = [];
  for (const pa of pas) {
    for (const kpi of pa.children) {
      const n = parseId("kpi", kpi.id)?.[0];
      if (n !== undefined) kpis.push({ node: kpi, n });
      else if (kpi.id !== "") malformed(kpi, out);
    }
  }
  checkSequence(kpis, (n) => `KPI${n}`, retired, out);
  for (const pa of pas) {
    if (pa.children.length === 0) {
      out.push(error(pa.origin, "performance-area-without-kpis", `Performance area "${pa.id}" has no KPIs.`));
    }
    for (const kpi of pa.children) {
      const numbers = parseId("kpi", kpi.id);
      if (kpi.children.length === 0) out.push(error(kpi.origin, "kpi-without-mis", `KPI "${kpi.id}" has no micro-indicators.`));
      if (numbers) checkSiblings(kpi.children, numbers, retired, out);
      for (const mi of kpi.children) {
        const miNumbers = parseId("mi", mi.id);
        if (numbers && miNumbers && miNumbers[0] !== numbers[0]) {
          parentMismatch(mi, kpi, out);
        }
        if (isRubricMi(mi)) checkRubric(mi, options.resultsLevels, out);
        else if (mi.raw["scoring"] === "elements" && mi.children.length === 0) {
          out.push(error(at(mi.origin, "elements"), "mi-without-elements", `MI "${mi.id}" is scored through elements but has none.`));
        }
        if (miNumbers) checkSiblings(mi.children, miNumbers, retired, out);
        for (const element of mi.children) {
          const elementNumbers = parseId("element", element.id);
          if (miNumbers && elementNumbers && (elementNumbers[0] !== miNumbers[0] || elementNumbers[1] !== miNumbers[1])) {
            parentMismatch(element, mi, out);
          }
        }
      }
    }
  }
  for (const node of walk(pas)) checkProvenance(node.raw["provenance"], at(node.origin, "provenance"), out);
  return out;
}

/** Ids well-formed and numbered 1, 2, 3 ... within their parent (KPIs are numbered across the framework). */
function checkSiblings(nodes: readonly Node[], parentNumbers: readonly number[], retired: ReadonlySet<string>, out: Diagnostic[]) {
  const items: { node: Node; n: number }[] = [];
  for (const node of nodes) {
    if (node.level === "kpi") continue;
    const numbers = parseId(node.level, node.id);
    if (numbers) items.push({ node, n: numbers.at(-1)! });
    else if (node.id !== "") malformed(node, out);
  }
  const level = nodes[0]?.level;
  if (level !== undefined) checkSequence(items, (n) => childId(level, parentNumbers, n), retired, out);
}

/**
 * Numbers must rise (an item below an earlier one is out of order) and leave no gap, except
 * where an overlay retired an item. Repeated numbers are left to the duplicate-id check.
 */
function checkSequence(items: readonly { node: Node; n: number }[], idFor: (n: number) => string, retired: ReadonlySet<string>, out: Diagnostic[]) {
  const present = new Set<number>();
  let max = 0;
  for (const { node, n } of items) {
    if (present.has(n)) continue;
    if (n < max) numbering(node, idFor(max), false, out);
    present.add(n);
    max = Math.max(max, n);
  }
  for (let k = 1; k < max; k++) {
    if (present.has(k) || retired.has(idFor(k))) continue;
    const after = items.find((item) => item.n > k);
    if (after) numbering(after.node, idFor(k), true, out);
  }
}

function malformed(node: Node, out: Diagnostic[]) {
  out.push(
    error(at(node.origin, "id"), "malformed-id", `${LABEL[node.level]} id "${node.id}" is not of the form ${ID_FORMS[node.level]}.`, {
      expected: ID_FORMS[node.level],
      received: node.id,
    }),
  );
}

function numbering(node: Node, other: string, gap: boolean, out: Diagnostic[]) {
  out.push(
    error(at(node.origin, "id"), gap ? "numbering-gap" : "numbering-order", gap ? `Numbering skips ${other}: found "${node.id}".` : `"${node.id}" is out of order: it comes after ${other}.`, {
      ...(gap ? { expected: other } : {}),
      received: node.id,
    }),
  );
}

function parentMismatch(node: Node, parent: Node, out: Diagnostic[]) {
  out.push(
    error(
      at(node.origin, "id"),
      "id-parent-mismatch",
      `"${node.id}" does not belong under "${parent.id}": its number must start with ${parent.level === "kpi" ? parseId("kpi", parent.id)?.[0] : parent.id}.`,
      {
        received: node.id,
      },
    ),
  );
}

function checkRubric(mi: Node, levels: readonly string[] | undefined, out: Diagnostic[]) {
  const rubric = mi.raw["rubric"];
  if (!isRecord(rubric) || levels === undefined) return;
  for (const level of levels) {
    const text = rubric[level];
    if (typeof text !== "string" || text.trim() === "") {
      out.push(error(at(mi.origin, "rubric"), "rubric-incomplete", `Results MI "${mi.id}" has no descriptor for level ${level}.`, { expected: `levels ${levels.join(", ")}` }));
    }
  }
  for (const key of Object.keys(rubric)) {
    if (!levels.includes(key)) {
      out.push(
        error(at(mi.origin, "rubric", key), "rubric-unknown-level", `Results MI "${mi.id}" describes level ${key}, which is not on the results scale.`, {
          expected: `levels ${levels.join(", ")}`,
          received: key,
        }),
      );
    }
  }
}

export function checkProvenance(provenance: unknown, origin: Origin, out: Diagnostic[]) {
  if (isRecord(provenance) && provenance["status"] === "project" && typeof provenance["basis"] !== "string") {
    out.push(error(origin, "provenance-basis-missing", "An item this project added must cite the source sentence it rests on in provenance.basis."));
  }
}

/** Levels of a scale as strings: {min 1, max 4, step 1} -> ["1","2","3","4"]. */
export function scaleLevels(scale: unknown): string[] | undefined {
  if (!isRecord(scale)) return undefined;
  const { min, max, step } = scale;
  if (typeof min !== "number" || typeof max !== "number" || typeof step !== "number" || step <= 0 || max < min) return undefined;
  const count = Math.round((max - min) / step);
  if (count > 100) return undefined;
  return Array.from({ length: count + 1 }, (_, i) => String(Number((min + i * step).toFixed(6))));
}
