import * as z from "zod";
import { type Diagnostic, pointerSegment } from "../diagnostics/diagnostic.js";
import { DataId, Provenance } from "../vocabulary/schema.js";

const FrameworkId = DataId;
const ItemId = z.string().min(1).max(64);

/** Ids of one framework mapped to ids of the other; null: the item has no counterpart. */
const IdMap = z.record(ItemId, ItemId.nullable());

/**
 * How the KPIs and MIs of one framework correspond to those of another, so that assessments made
 * with either can be compared. Items not in the map (or mapped to null) have no counterpart and are
 * listed as unmatched by a comparison, never dropped silently.
 */
export const Crosswalk = z
  .object({
    $schema: z.string().optional(),
    from: FrameworkId.describe("Id of the framework whose ids are the keys."),
    to: FrameworkId.describe("Id of the framework whose ids are the values."),
    description: z.string().max(10_000).optional(),
    provenance: Provenance.optional(),
    kpis: IdMap.describe("KPI id in `from` -> KPI id in `to`."),
    mis: IdMap.describe("MI id in `from` -> MI id in `to`."),
    changed: z
      .record(ItemId, z.string().min(1).max(2_000))
      .optional()
      .describe("Items (ids in `to`) that keep a counterpart but whose content changed, and how; scores of these are not strictly like for like."),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.from === value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "A crosswalk maps between two different frameworks." });
    for (const level of ["kpis", "mis"] as const) {
      const seen = new Map<string, string>();
      for (const [from, to] of Object.entries(value[level])) {
        if (to === null) continue;
        const first = seen.get(to);
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path: [level, from], message: `"${from}" and "${first}" both map to "${to}"; a crosswalk maps one to one.` });
        } else seen.set(to, from);
      }
    }
  })
  .meta({ title: "Crosswalk" });
export type Crosswalk = z.infer<typeof Crosswalk>;

/** The same crosswalk read the other way round (to -> from). */
export function invertCrosswalk(c: Crosswalk): Crosswalk {
  const invert = (map: Readonly<Record<string, string | null>>) => Object.fromEntries(Object.entries(map).flatMap(([from, to]) => (to === null ? [] : [[to, from] as const])));
  const changed = c.changed === undefined ? undefined : Object.fromEntries(Object.entries(c.changed).map(([id, note]) => [reverseLookup(c, id) ?? id, note]));
  return {
    from: c.to,
    to: c.from,
    ...(c.description === undefined ? {} : { description: c.description }),
    ...(c.provenance === undefined ? {} : { provenance: c.provenance }),
    kpis: invert(c.kpis),
    mis: invert(c.mis),
    ...(changed === undefined ? {} : { changed }),
  };
}

function reverseLookup(c: Crosswalk, toId: string): string | undefined {
  for (const map of [c.mis, c.kpis]) for (const [from, to] of Object.entries(map)) if (to === toId) return from;
  return undefined;
}

/** Ids a crosswalk names that its frameworks do not have: warnings, since such entries pair nothing. */
export function checkCrosswalk(
  c: Crosswalk,
  from: { readonly kpis: ReadonlySet<string> | ReadonlyMap<string, unknown>; readonly mis: ReadonlySet<string> | ReadonlyMap<string, unknown> },
  to: { readonly kpis: ReadonlySet<string> | ReadonlyMap<string, unknown>; readonly mis: ReadonlySet<string> | ReadonlyMap<string, unknown> },
  file?: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (pointer: string) => (file === undefined ? { pointer } : { file, pointer });
  for (const level of ["kpis", "mis"] as const) {
    for (const [id, target] of Object.entries(c[level])) {
      if (!from[level].has(id))
        out.push({ ...at(`/${level}/${pointerSegment(id)}`), code: "unknown-id", severity: "warning", message: `"${id}" is not a ${level === "kpis" ? "KPI" : "MI"} of ${c.from}.`, received: id });
      if (target !== null && !to[level].has(target))
        out.push({
          ...at(`/${level}/${pointerSegment(id)}`),
          code: "unknown-id",
          severity: "warning",
          message: `"${target}" is not a ${level === "kpis" ? "KPI" : "MI"} of ${c.to}.`,
          received: target,
        });
    }
  }
  // An MI and its KPI mapped apart: MI m of KPI k goes to m' of KPI k', but the KPI map sends k
  // elsewhere (or nowhere). Comparisons then pair the MI and its KPI with different counterparts.
  const kpiOf = (mis: ReadonlySet<string> | ReadonlyMap<string, unknown>, id: string): string | undefined => {
    const item = mis instanceof Map ? mis.get(id) : undefined;
    return typeof item === "object" && item !== null && typeof (item as { kpi?: unknown }).kpi === "string" ? (item as { kpi: string }).kpi : undefined;
  };
  for (const [mi, target] of Object.entries(c.mis)) {
    if (target === null) continue;
    const kpi = kpiOf(from.mis, mi);
    const targetKpi = kpiOf(to.mis, target);
    if (kpi === undefined || targetKpi === undefined || !Object.hasOwn(c.kpis, kpi) || Object.hasOwn(c.changed ?? {}, target)) continue;
    const mappedKpi = c.kpis[kpi];
    if (mappedKpi !== targetKpi) {
      out.push({
        ...at(`/mis/${pointerSegment(mi)}`),
        code: "crosswalk-contradiction",
        severity: "warning",
        received: target,
        expected: `an MI of ${mappedKpi ?? "no KPI"}`,
        message: `MI "${mi}" (of KPI "${kpi}") maps to "${target}" (of KPI "${targetKpi}"), but the KPI map sends "${kpi}" to ${mappedKpi === null || mappedKpi === undefined ? "no KPI" : `"${mappedKpi}"`}; one of the two maps is wrong, or the move needs a note in "changed".`,
      });
    }
  }
  for (const id of Object.keys(c.changed ?? {})) {
    if (!to.kpis.has(id) && !to.mis.has(id))
      out.push({ ...at(`/changed/${pointerSegment(id)}`), code: "unknown-id", severity: "warning", message: `"${id}" is not a KPI or MI of ${c.to}.`, received: id });
  }
  return out;
}
