import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { appendAll, hasErrors } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../util/canonical-json.js";
import { sha256Text } from "../util/sha256.js";
import { LIMITS } from "../text/limits.js";
import { checkPolicyAgainstScale } from "./rating-scale.js";
import type { RatingScale } from "../rating/schema.js";
import { checkProvenance, checkTree, scaleLevels } from "./check.js";
import { numberOf } from "./ids.js";
import type { AppliedChange, ElementItem, Framework, KpiItem, MiItem, PerformanceAreaItem } from "./model.js";
import { applyOverlay } from "./overlay.js";
import { FrameworkDocument, OverlayDocument, type Provenance, ScoringPolicy } from "./schema.js";
import { type Node, type Origin, at, inheritProvenance, isRecord, readTree } from "./tree.js";

/** A framework file's parsed JSON and where it came from. */
export interface FrameworkSource {
  readonly raw: unknown;
  readonly file?: string;
}

/** What resolving a framework may look up: other frameworks (overlay bases) and rating scales. */
export interface FrameworkEnvironment {
  findFramework(id: string): FrameworkSource | undefined;
  findRatingScale(id: string): RatingScale | undefined;
}

/** The error for a framework id that no registry or catalog knows. */
export const unknownFramework = (id: string, known: readonly string[]): Diagnostic => ({
  code: "unknown-framework",
  severity: "error",
  received: id,
  message: `No framework "${id}" is known (known: ${known.join(", ")}).`,
});

export interface LoadResult<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
}

interface Resolved {
  nodes: Node[];
  retired: Set<string>;
  changes: AppliedChange[];
  policy?: { value: unknown; origin: Origin };
  methodology?: string;
  header: Record<string, unknown>;
  base?: { id: string; version: string };
}

/** Validates a framework file and resolves it (overlay applied, provenance inherited). All problems are collected. */
export function loadFramework(source: FrameworkSource, env: FrameworkEnvironment): LoadResult<Framework> {
  const diagnostics: Diagnostic[] = [];
  const resolved = resolve(source, env, [], diagnostics);
  if (!resolved) return { diagnostics };
  const root: Origin = source.file === undefined ? { pointer: "" } : { file: source.file, pointer: "" };

  const parsedPolicy = resolved.policy ? ScoringPolicy.safeParse(resolved.policy.value) : undefined;
  const policy = parsedPolicy?.success ? parsedPolicy.data : undefined;
  if (policy && resolved.policy) appendAll(diagnostics, checkScaleSizes(policy, resolved.policy.origin));
  let scale: RatingScale | undefined;
  if (policy && resolved.policy) {
    scale = env.findRatingScale(policy.ratingScale);
    const origin = resolved.policy.origin;
    if (!scale) {
      diagnostics.push({ ...at(origin, "ratingScale"), code: "unknown-rating-scale", severity: "error", received: policy.ratingScale, message: `No rating scale "${policy.ratingScale}" is known.` });
    } else {
      appendAll(diagnostics, checkPolicyAgainstScale(policy, scale, origin));
      if (resolved.methodology !== undefined && !scale.methodologies.includes(resolved.methodology)) {
        diagnostics.push({
          ...at(root, "methodology"),
          code: "policy-scale-mismatch",
          severity: "error",
          received: resolved.methodology,
          expected: scale.methodologies.join(" | "),
          message: `Methodology ${resolved.methodology} is not one that rating scale "${scale.id}" applies to (${scale.methodologies.join(", ")}).`,
        });
      }
    }
    appendAll(diagnostics, checkWeights(policy, resolved.nodes, origin));
  }
  appendAll(
    diagnostics,
    checkTree(resolved.nodes, {
      retired: resolved.retired,
      ...(policy ? { resultsLevels: scaleLevels(policy.resultsScale) ?? [] } : {}),
    }),
  );
  if (hasErrors(diagnostics) || !policy || resolved.methodology === undefined) return { diagnostics };
  return { value: build(resolved, policy, resolved.methodology), diagnostics };
}

function resolve(source: FrameworkSource, env: FrameworkEnvironment, chain: string[], diagnostics: Diagnostic[]): Resolved | undefined {
  const raw = source.raw;
  const root: Origin = source.file === undefined ? { pointer: "" } : { file: source.file, pointer: "" };
  if (!isRecord(raw)) {
    diagnostics.push({ ...root, code: "invalid-type", severity: "error", expected: "object", message: "A framework file must hold a JSON object." });
    return undefined;
  }
  const isOverlay = "extends" in raw;
  const parsed = (isOverlay ? OverlayDocument : FrameworkDocument).safeParse(raw, { reportInput: false });
  if (!parsed.success) appendAll(diagnostics, diagnosticsFromZod(parsed.error, raw, source.file));
  const header = raw;
  checkProvenance(raw["provenance"], at(root, "provenance"), diagnostics);
  const own = "policy" in raw ? { value: raw["policy"], origin: at(root, "policy") } : undefined;
  const methodology = typeof raw["methodology"] === "string" ? raw["methodology"] : undefined;
  if (!isOverlay) {
    const nodes = inheritProvenance(readTree(raw, source.file), raw["provenance"]);
    return { nodes, retired: new Set(), changes: [], header, ...(own ? { policy: own } : {}), ...(methodology === undefined ? {} : { methodology }) };
  }
  const baseId = raw["extends"];
  if (typeof baseId !== "string") return undefined;
  const id = typeof raw["id"] === "string" ? raw["id"] : "";
  if (chain.includes(baseId) || baseId === id) {
    diagnostics.push({ ...at(root, "extends"), code: "overlay-cycle", severity: "error", received: baseId, message: `Overlay "${id}" extends "${baseId}", which leads back to itself.` });
    return undefined;
  }
  // Each level adds two names to the chain (see below).
  if (chain.length / 2 >= LIMITS.overlayDepth.max) {
    const limit = LIMITS.overlayDepth;
    diagnostics.push({
      ...at(root, "extends"),
      code: limit.code,
      severity: "error",
      received: baseId,
      expected: `at most ${limit.max} ${limit.unit}`,
      message: `Overlay "${id}" extends "${baseId}" more than ${limit.max} overlays deep; the limit is ${limit.max} ${limit.unit} (${limit.applies.split(";")[0]}).`,
    });
    return undefined;
  }
  const baseSource = env.findFramework(baseId);
  if (!baseSource) {
    diagnostics.push({ ...at(root, "extends"), code: "unknown-base-framework", severity: "error", received: baseId, message: `Overlay extends "${baseId}", but no framework with that id is known.` });
    return undefined;
  }
  // The chain holds both the ids files declare and the names they were found by: a file whose id
  // differs from its name (x.json with "id": "y") must not hide a cycle (a stack overflow).
  const base = resolve(baseSource, env, [...chain, id, baseId], diagnostics);
  if (!base) return undefined;
  const applied = applyOverlay(base.nodes, raw["changes"], root, raw["provenance"]);
  appendAll(diagnostics, applied.diagnostics);
  const baseVersion = typeof base.header["version"] === "string" ? base.header["version"] : "";
  const policy = own ?? base.policy;
  const ownMethodology = methodology ?? base.methodology;
  return {
    nodes: applied.nodes,
    retired: new Set([...base.retired, ...applied.retired]),
    changes: [...base.changes, ...applied.changes],
    header,
    base: { id: baseId, version: baseVersion },
    ...(policy ? { policy } : {}),
    ...(ownMethodology === undefined ? {} : { methodology: ownMethodology }),
  };
}

/**
 * Scales that allow more values than `LIMITS.scaleValues` (a step of 1e-300): analyses go through
 * a scale's values one by one, so a scale that fine would never finish.
 */
function checkScaleSizes(policy: ScoringPolicy, origin: Origin): Diagnostic[] {
  const limit = LIMITS.scaleValues;
  return (["elementScale", "resultsScale"] as const).flatMap((key): Diagnostic[] => {
    const { min, max, step } = policy[key];
    const count = Math.floor((max - min) / step) + 1;
    if (count <= limit.max) return [];
    const shown = Number.isFinite(count) && count < 1e15 ? count.toLocaleString("en-US") : "more than 10^15";
    return [
      {
        ...at(origin, key),
        code: limit.code,
        severity: "error",
        received: `${shown} values`,
        expected: `at most ${limit.max} values`,
        message: `The ${key} from ${min} to ${max} in steps of ${step} allows ${shown} scores; the limit is ${limit.max.toLocaleString("en-US")}.`,
      },
    ];
  });
}

function checkWeights(policy: ScoringPolicy, nodes: readonly Node[], origin: Origin): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = { mi: new Set<string>(), kpi: new Set<string>(), performanceArea: new Set<string>() };
  for (const pa of nodes) {
    ids.performanceArea.add(pa.id);
    for (const kpi of pa.children) {
      ids.kpi.add(kpi.id);
      for (const mi of kpi.children) ids.mi.add(mi.id);
    }
  }
  const childrenOf = { mi: "element", kpi: "mi", performanceArea: "kpi" } as const;
  const known = { mi: new Set<string>(), kpi: ids.mi, performanceArea: ids.kpi };
  for (const pa of nodes) for (const kpi of pa.children) for (const mi of kpi.children) for (const e of mi.children) known.mi.add(e.id);
  for (const level of ["mi", "kpi", "performanceArea"] as const) {
    const weights = policy.aggregation[level]?.weights ?? {};
    for (const id of Object.keys(weights)) {
      if (!known[level].has(id)) {
        out.push({
          ...at(origin, "aggregation", level, "weights", id),
          code: "unknown-weight-id",
          severity: "error",
          received: id,
          message: `A weight is given to "${id}", which is not ${childrenOf[level] === "element" ? "an element" : `a${childrenOf[level] === "mi" ? "n MI" : " KPI"}`} of this framework.`,
        });
      }
    }
  }
  return out;
}

function build(resolved: Resolved, policy: ScoringPolicy, methodology: string): Framework {
  const h = resolved.header;
  const rootProvenance = h["provenance"] as Provenance;
  const item = (node: Node, parent: Provenance) => {
    const r = node.raw;
    const inherited = (node.inherited as Provenance | undefined) ?? parent;
    return {
      id: node.id,
      number: numberOf(node.level, node.id),
      title: r["title"] as string,
      ...(typeof r["description"] === "string" ? { description: r["description"] } : {}),
      tags: (r["tags"] as string[] | undefined) ?? [],
      provenance: (r["provenance"] as Provenance | undefined) ?? inherited,
    };
  };
  const performanceAreas: PerformanceAreaItem[] = resolved.nodes.map((paNode) => {
    const pa = item(paNode, rootProvenance);
    const kpis: KpiItem[] = paNode.children.map((kpiNode) => {
      const kpi = item(kpiNode, pa.provenance);
      const mis: MiItem[] = kpiNode.children.map((miNode) => {
        const mi = item(miNode, kpi.provenance);
        const rubric = miNode.raw["scoring"] === "rubric" ? (miNode.raw["rubric"] as Record<string, string>) : undefined;
        const elements: ElementItem[] = miNode.children.map((e) => ({ level: "element", ...item(e, mi.provenance), mi: mi.id }));
        return { level: "mi", ...mi, kpi: kpi.id, scoring: rubric ? "rubric" : "elements", elements, ...(rubric ? { rubric: sortKeys(rubric) } : {}) };
      });
      return { level: "kpi", ...kpi, performanceArea: pa.id, mis };
    });
    return { level: "performance-area", ...pa, kpis };
  });
  const content = {
    id: h["id"] as string,
    version: h["version"] as string,
    title: h["title"] as string,
    ...(typeof h["description"] === "string" ? { description: h["description"] } : {}),
    methodology,
    provenance: rootProvenance,
    policy,
    ...(resolved.base ? { base: resolved.base } : {}),
    changes: resolved.changes,
    performanceAreas,
  };
  const contentHash = sha256Text(canonicalJson(content));
  return { ...content, contentHash };
}

const sortKeys = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => Number(b) - Number(a)));
