import type { Provenance, ScoringPolicy } from "./schema.js";

/** What every item of a resolved framework carries; provenance is inherited, so always present. */
export interface FrameworkItem {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly provenance: Provenance;
}

export interface ElementItem extends FrameworkItem {
  readonly level: "element";
  readonly mi: string;
}

export interface MiItem extends FrameworkItem {
  readonly level: "mi";
  readonly kpi: string;
  readonly scoring: "elements" | "rubric";
  readonly elements: readonly ElementItem[];
  readonly rubric?: Readonly<Record<string, string>>;
}

/** The ids an MI is judged through: its elements, or the MI itself when it is a results MI (rated directly). */
export const judgedIdsOf = (mi: MiItem): string[] => (mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id));

export interface KpiItem extends FrameworkItem {
  readonly level: "kpi";
  readonly performanceArea: string;
  readonly mis: readonly MiItem[];
}

export interface PerformanceAreaItem extends FrameworkItem {
  readonly level: "performance-area";
  readonly kpis: readonly KpiItem[];
}

/** One change an overlay made to its base, as a reader of the overlay should see it. */
export interface AppliedChange {
  readonly op: "add" | "replace" | "amend" | "retire";
  readonly id: string;
  readonly parent?: string;
  readonly title?: string;
  readonly reason?: string;
  readonly provenance?: Provenance;
}

/** A framework with any overlay applied and provenance inherited: what scoring reads. */
export interface Framework {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly description?: string;
  readonly methodology: string;
  readonly provenance: Provenance;
  readonly policy: ScoringPolicy;
  readonly base?: { readonly id: string; readonly version: string };
  readonly changes: readonly AppliedChange[];
  readonly performanceAreas: readonly PerformanceAreaItem[];
  /** sha256 of the resolved content, so a result names exactly what it was scored against. */
  readonly contentHash: string;
}

export interface FrameworkIndex {
  readonly kpis: ReadonlyMap<string, KpiItem>;
  readonly mis: ReadonlyMap<string, MiItem>;
  readonly elements: ReadonlyMap<string, ElementItem>;
  readonly performanceAreas: ReadonlyMap<string, PerformanceAreaItem>;
}

const indexes = new WeakMap<Framework, FrameworkIndex>();

/** Look-up tables by id, built once per framework. */
export function indexFramework(framework: Framework): FrameworkIndex {
  let index = indexes.get(framework);
  if (index) return index;
  const performanceAreas = new Map<string, PerformanceAreaItem>();
  const kpis = new Map<string, KpiItem>();
  const mis = new Map<string, MiItem>();
  const elements = new Map<string, ElementItem>();
  for (const pa of framework.performanceAreas) {
    performanceAreas.set(pa.id, pa);
    for (const kpi of pa.kpis) {
      kpis.set(kpi.id, kpi);
      for (const mi of kpi.mis) {
        mis.set(mi.id, mi);
        for (const element of mi.elements) elements.set(element.id, element);
      }
    }
  }
  index = { performanceAreas, kpis, mis, elements };
  indexes.set(framework, index);
  return index;
}

export interface FrameworkCounts {
  readonly performanceAreas: number;
  readonly kpis: number;
  readonly mis: number;
  readonly elementScoredMis: number;
  readonly resultsMis: number;
  readonly elements: number;
}

export function countFramework(framework: Framework): FrameworkCounts {
  const index = indexFramework(framework);
  const results = [...index.mis.values()].filter((mi) => mi.scoring === "rubric").length;
  return {
    performanceAreas: index.performanceAreas.size,
    kpis: index.kpis.size,
    mis: index.mis.size,
    elementScoredMis: index.mis.size - results,
    resultsMis: results,
    elements: index.elements.size,
  };
}

const summaries = new WeakMap<Framework, Readonly<Record<string, number>>>();

/** How many items carry each provenance status, over all levels (counted once per framework; each call gets its own copy). */
export function provenanceSummary(framework: Framework): Record<string, number> {
  let summary = summaries.get(framework);
  if (!summary) {
    const counts: Record<string, number> = {};
    const add = (item: FrameworkItem) => {
      counts[item.provenance.status] = (counts[item.provenance.status] ?? 0) + 1;
    };
    for (const pa of framework.performanceAreas) {
      add(pa);
      for (const kpi of pa.kpis) {
        add(kpi);
        for (const mi of kpi.mis) {
          add(mi);
          mi.elements.forEach(add);
        }
      }
    }
    summary = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
    summaries.set(framework, summary);
  }
  return { ...summary };
}
