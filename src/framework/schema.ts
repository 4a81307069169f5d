import * as z from "zod";
import { ConfidenceLevel, DataId, KEBAB_CASE, Provenance } from "../vocabulary/schema.js";
import { Rounding } from "../rating/schema.js";

export { Provenance, ProvenanceStatus, ConfidenceLevel } from "../vocabulary/schema.js";

const Id = z.string().min(1).max(64);
const Title = z.string().min(1).max(1000);
const Text = z.string().max(10_000);
const Tag = z.string().regex(KEBAB_CASE, "a lower-case kebab-case tag");

const common = {
  id: Id,
  title: Title,
  description: Text.optional(),
  tags: z.array(Tag).max(50).optional(),
  provenance: Provenance.optional().describe("Inherited from the parent when absent."),
};

export const Element = z.object(common).strict();
export type Element = z.infer<typeof Element>;

/** A micro-indicator scored through its elements (mean of element scores). */
export const ElementScoredMi = z.object({ ...common, scoring: z.literal("elements"), elements: z.array(Element).max(1000) }).strict();

/** A results micro-indicator, rated directly against the descriptors of each level. */
export const ResultsMi = z
  .object({
    ...common,
    scoring: z.literal("rubric"),
    rubric: z.record(z.string(), Text).describe("Descriptor per level of the results scale, keyed by level."),
    rubricProvenance: Provenance.optional().describe("Provenance of the rubric descriptors where it differs from the MI's own (e.g. descriptors written by the project)."),
  })
  .strict();

export const MicroIndicator = z.discriminatedUnion("scoring", [ElementScoredMi, ResultsMi]);
export type MicroIndicator = z.infer<typeof MicroIndicator>;

export const Kpi = z.object({ ...common, mis: z.array(MicroIndicator).max(1000) }).strict();
export type Kpi = z.infer<typeof Kpi>;

export const PerformanceArea = z.object({ ...common, kpis: z.array(Kpi).max(1000) }).strict();
export type PerformanceArea = z.infer<typeof PerformanceArea>;

const Scale = z.object({ min: z.number(), max: z.number(), step: z.number().positive() }).strict().describe("Scores allowed: min, min+step, ..., max.");

const FlagTreatment = z.discriminatedUnion("treatment", [
  z
    .object({ treatment: z.literal("exclude") })
    .strict()
    .describe("Left out of means."),
  z
    .object({ treatment: z.literal("score"), score: z.number() })
    .strict()
    .describe("Counted as this score."),
]);
export type FlagTreatment = z.infer<typeof FlagTreatment>;

const Aggregation = z
  .object({
    method: z.literal("mean"),
    weights: z.record(z.string(), z.number().positive()).optional().describe("Weight per child id; children not named weigh 1."),
  })
  .strict();
export type Aggregation = z.infer<typeof Aggregation>;

export const ConfidenceRule = z
  .object({
    level: ConfidenceLevel,
    minStreams: z.number().int().min(0).optional().describe("Distinct evidence streams behind the MI."),
    minEvidence: z.number().int().min(0).optional().describe("Distinct evidence entries behind the MI."),
    minScoredShare: z.number().min(0).max(1).optional().describe("Share of applicable items that carry a score (not N/E)."),
    maxConflicts: z.number().int().min(0).optional().describe("Items whose streams disagree."),
  })
  .strict();
export type ConfidenceRule = z.infer<typeof ConfidenceRule>;

/** Coverage thresholds for one level (MI or KPI); either one that is not met makes a rating provisional. */
const CoverageThreshold = z
  .object({
    minScoredShare: z.number().min(0).max(1).optional().describe("Least share of applicable items (elements, or results MIs) that carry a score."),
    minScored: z.number().int().min(0).optional().describe("Least number of scored items; an item with fewer applicable items needs all of them."),
  })
  .strict();
export type CoverageThreshold = z.infer<typeof CoverageThreshold>;

/**
 * A declared coverage rule: a rating computed from too few scored items is still computed and shown,
 * but marked provisional, with the reason. A project rule unless `status` says otherwise.
 */
export const ProvisionalRule = z
  .object({
    enabled: z.boolean().describe("false switches the rule off: no rating is marked provisional."),
    status: z.enum(["project", "verified", "reconstructed"]).describe("Whose rule this is; `project` for one this project set."),
    note: Text.optional(),
    mi: CoverageThreshold.optional(),
    kpi: CoverageThreshold.optional(),
  })
  .strict();
export type ProvisionalRule = z.infer<typeof ProvisionalRule>;

export const ScoringPolicy = z
  .object({
    elementScale: Scale,
    resultsScale: Scale,
    flags: z.object({ "N/E": FlagTreatment, "N/A": FlagTreatment }).strict(),
    aggregation: z
      .object({
        mi: Aggregation,
        kpi: Aggregation,
        performanceArea: Aggregation.optional().describe("Declare only for frameworks that define a performance-area statistic."),
      })
      .strict(),
    rounding: Rounding,
    ratingScale: Id.describe("Id of the rating scale of the framework's methodology version."),
    triangulation: z
      .object({
        withinStream: z.enum(["mean", "median"]),
        acrossStreams: z.enum(["mean", "median"]),
        conflictSpread: z.number().positive().describe("Streams this far apart or more are in conflict."),
      })
      .strict()
      .describe("How evidence-suggested scores become an element score when no judgement gives one."),
    confidence: z
      .object({ rules: z.array(ConfidenceRule).max(20), otherwise: ConfidenceLevel })
      .strict()
      .describe("First matching rule gives an MI's computed confidence."),
    provisional: ProvisionalRule.optional().describe("Coverage rule that marks thin-evidence MI and KPI ratings provisional; absent means none."),
  })
  .strict();
export type ScoringPolicy = z.infer<typeof ScoringPolicy>;

const FrameworkHeader = {
  $schema: z.string().optional(),
  id: DataId,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "a semantic version such as 1.0.0"),
  title: Title,
  description: Text.optional(),
  provenance: Provenance,
};

/** A complete framework: the tree of performance areas, KPIs, MIs and elements, and its scoring policy. */
export const FrameworkDocument = z
  .object({
    ...FrameworkHeader,
    methodology: z.string().min(1).describe("Methodology version, e.g. 3.1."),
    policy: ScoringPolicy,
    performanceAreas: z.array(PerformanceArea).max(100),
  })
  .strict()
  .meta({ title: "Rating framework" });
export type FrameworkDocument = z.infer<typeof FrameworkDocument>;

const Reason = z.string().min(1).max(10_000);

export const OverlayChange = z.discriminatedUnion("op", [
  z
    .object({
      op: z.literal("add"),
      parent: Id.describe("KPI id to add an MI to, or MI id to add an element to."),
      item: z.union([MicroIndicator, Element]),
    })
    .strict(),
  z.object({ op: z.literal("replace"), item: z.union([MicroIndicator, Element]) }).strict(),
  z
    .object({
      op: z.literal("amend"),
      id: Id,
      title: Title.optional(),
      description: Text.optional(),
      tags: z.array(Tag).optional(),
      provenance: Provenance,
    })
    .strict(),
  z.object({ op: z.literal("retire"), id: Id, reason: Reason }).strict(),
]);
export type OverlayChange = z.infer<typeof OverlayChange>;

/** A variant expressed as changes to a base framework, resolved by the engine. */
export const OverlayDocument = z
  .object({
    ...FrameworkHeader,
    extends: z.string().min(1).describe("Id of the base framework."),
    methodology: z.string().min(1).optional(),
    policy: ScoringPolicy.optional().describe("Replaces the base policy when present."),
    changes: z.array(OverlayChange).max(10_000),
  })
  .strict()
  .meta({ title: "Rating framework overlay" });
export type OverlayDocument = z.infer<typeof OverlayDocument>;

export const FrameworkFile = z.union([FrameworkDocument, OverlayDocument]).meta({ title: "Rating framework file" });
export type FrameworkFile = z.infer<typeof FrameworkFile>;
