import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { AppliedChange } from "./model.js";
import { type OverlayChange, OverlayChange as OverlayChangeSchema, type Provenance } from "./schema.js";
import { type Level, type Node, type Origin, at, inheritProvenance, isRecord, readNode, walk } from "./tree.js";

interface Slot {
  node: Node;
  parent: Node | undefined;
}

export interface OverlayResult {
  readonly nodes: Node[];
  readonly retired: Set<string>;
  readonly changes: AppliedChange[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Applies an overlay's changes, in order, to a copy of its base tree. Changes that fail the
 * schema are skipped here (the schema pass reports them); every other problem is collected.
 */
export function applyOverlay(base: readonly Node[], rawChanges: unknown, origin: Origin, provenance: unknown): OverlayResult {
  const roots = base.map(clone);
  const slots = new Map<string, Slot>();
  const index = (node: Node, parent: Node | undefined) => {
    slots.set(node.id, { node, parent });
    node.children.forEach((child) => index(child, node));
  };
  roots.forEach((node) => index(node, undefined));
  const retired = new Set<string>();
  const changes: AppliedChange[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (where: Origin, code: string, message: string, received?: string) => diagnostics.push({ ...where, code, severity: "error", message, ...(received === undefined ? {} : { received }) });

  const list = Array.isArray(rawChanges) ? rawChanges : [];
  list.forEach((raw, i) => {
    const parsed = OverlayChangeSchema.safeParse(raw);
    if (!parsed.success) return;
    const change: OverlayChange = parsed.data;
    const here = at(origin, "changes", i);
    const siblingsOf = (slot: Slot) => (slot.parent ? slot.parent.children : roots);
    switch (change.op) {
      case "add": {
        const parent = slots.get(change.parent);
        if (!parent) return fail(at(here, "parent"), "overlay-unknown-id", `The base has no "${change.parent}" to add to.`, change.parent);
        const level = itemLevel(change.item);
        const fits = (level === "mi" && parent.node.level === "kpi") || (level === "element" && parent.node.level === "mi" && parent.node.raw["scoring"] === "elements");
        if (!fits) {
          return fail(at(here, "parent"), "overlay-wrong-parent", `${level === "mi" ? "An MI" : "An element"} cannot be added to "${change.parent}" (${describeParent(parent.node)}).`, change.parent);
        }
        if (slots.has(change.item.id)) return fail(at(here, "item", "id"), "overlay-duplicate-id", `"${change.item.id}" already exists in the base; use "replace" or "amend".`, change.item.id);
        const node = inheritProvenance([readNode(isRecord(raw) ? raw["item"] : undefined, level, at(here, "item"))!], provenance)[0]!;
        parent.node.children.push(node);
        index(node, parent.node);
        changes.push(summary("add", change.item.id, change.item.title, change.item.provenance, change.parent));
        return;
      }
      case "replace": {
        const slot = slots.get(change.item.id);
        if (!slot) return fail(at(here, "item", "id"), "overlay-unknown-id", `The base has no "${change.item.id}" to replace.`, change.item.id);
        const level = itemLevel(change.item);
        if (slot.node.level !== level) {
          return fail(at(here, "item"), "overlay-kind-mismatch", `"${change.item.id}" is ${article(slot.node.level)}; it cannot be replaced by ${article(level)}.`);
        }
        const node = inheritProvenance([readNode(isRecord(raw) ? raw["item"] : undefined, level, at(here, "item"))!], provenance)[0]!;
        for (const old of walk([slot.node])) slots.delete(old.id);
        const siblings = siblingsOf(slot);
        siblings[siblings.indexOf(slot.node)] = node;
        index(node, slot.parent);
        changes.push(summary("replace", node.id, change.item.title, change.item.provenance, slot.parent?.id));
        return;
      }
      case "amend": {
        const slot = slots.get(change.id);
        if (!slot) return fail(at(here, "id"), "overlay-unknown-id", `The base has no "${change.id}" to amend.`, change.id);
        const { op: _op, id: _id, ...fields } = change;
        const node: Node = { ...slot.node, raw: { ...slot.node.raw, ...fields }, origin: here };
        const siblings = siblingsOf(slot);
        siblings[siblings.indexOf(slot.node)] = node;
        slots.set(change.id, { node, parent: slot.parent });
        for (const child of node.children) slots.set(child.id, { node: child, parent: node });
        changes.push(summary("amend", change.id, change.title ?? String(slot.node.raw["title"] ?? ""), change.provenance, slot.parent?.id));
        return;
      }
      case "retire": {
        const slot = slots.get(change.id);
        if (!slot) return fail(at(here, "id"), "overlay-unknown-id", `The base has no "${change.id}" to retire.`, change.id);
        const siblings = siblingsOf(slot);
        siblings.splice(siblings.indexOf(slot.node), 1);
        for (const old of walk([slot.node])) {
          slots.delete(old.id);
          retired.add(old.id);
        }
        changes.push({ op: "retire", id: change.id, title: String(slot.node.raw["title"] ?? ""), reason: change.reason, ...(slot.parent ? { parent: slot.parent.id } : {}) });
        return;
      }
    }
  });
  return { nodes: roots, retired, changes, diagnostics };
}

const clone = (node: Node): Node => ({ ...node, children: node.children.map(clone) });

const itemLevel = (item: object): Level => ("scoring" in item ? "mi" : "element");

const article = (level: Level) => ({ "performance-area": "a performance area", kpi: "a KPI", mi: "an MI", element: "an element" })[level];

const describeParent = (node: Node) => (node.level === "mi" && node.raw["scoring"] === "rubric" ? "a results MI, rated without elements" : article(node.level));

function summary(op: AppliedChange["op"], id: string, title: string, provenance: Provenance | undefined, parent: string | undefined): AppliedChange {
  return { op, id, title, ...(parent === undefined ? {} : { parent }), ...(provenance ? { provenance } : {}) };
}
