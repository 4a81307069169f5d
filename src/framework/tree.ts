import { pointerSegment } from "../diagnostics/diagnostic.js";

export type Level = "performance-area" | "kpi" | "mi" | "element";

/** Where an item was written: the file and JSON pointer its diagnostics point at. */
export interface Origin {
  readonly file?: string;
  readonly pointer: string;
}

/**
 * A framework item read leniently from raw JSON, so structural checks can run on
 * files that also fail the schema (every problem is reported, not only the first).
 */
export interface Node {
  readonly level: Level;
  readonly id: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly origin: Origin;
  /** Provenance the item inherits from the file it was written in, when it states none itself. */
  readonly inherited?: unknown;
  children: Node[];
}

const CHILD_KEY: Record<Level, string | undefined> = {
  "performance-area": "kpis",
  kpi: "mis",
  mi: "elements",
  element: undefined,
};
const CHILD_LEVEL: Record<Level, Level | undefined> = {
  "performance-area": "kpi",
  kpi: "mi",
  mi: "element",
  element: undefined,
};

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const idOf = (raw: unknown): string => (isRecord(raw) && typeof raw["id"] === "string" ? raw["id"] : "");

/** Reads one item and its descendants; anything that is not an object is skipped (the schema reports it). */
export function readNode(raw: unknown, level: Level, origin: Origin): Node | undefined {
  if (!isRecord(raw)) return undefined;
  const node: Node = { level, id: idOf(raw), raw, origin, children: [] };
  const key = CHILD_KEY[level];
  const next = CHILD_LEVEL[level];
  const list = key === undefined ? undefined : raw[key];
  if (next !== undefined && key !== undefined && Array.isArray(list)) {
    list.forEach((child, i) => {
      const childNode = readNode(child, next, at(origin, key, i));
      if (childNode) node.children.push(childNode);
    });
  }
  return node;
}

export function readTree(document: unknown, file?: string): Node[] {
  const root: Origin = file === undefined ? { pointer: "" } : { file, pointer: "" };
  if (!isRecord(document) || !Array.isArray(document["performanceAreas"])) return [];
  const out: Node[] = [];
  document["performanceAreas"].forEach((pa, i) => {
    const node = readNode(pa, "performance-area", at(root, "performanceAreas", i));
    if (node) out.push(node);
  });
  return out;
}

export const at = (origin: Origin, ...segments: (string | number)[]): Origin => ({
  ...origin,
  pointer: origin.pointer + segments.map((s) => "/" + pointerSegment(s)).join(""),
});

export function* walk(nodes: readonly Node[]): Generator<Node> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

export const isRubricMi = (node: Node): boolean => node.level === "mi" && node.raw["scoring"] === "rubric";

/** Records on every item the provenance it inherits, so later changes to an ancestor leave it alone. */
export function inheritProvenance(nodes: readonly Node[], inherited: unknown): Node[] {
  return nodes.map((node) => {
    const own = node.raw["provenance"] ?? inherited;
    return { ...node, inherited, children: inheritProvenance(node.children, own) };
  });
}
