import type { ConfidenceLevel, ProvenanceStatus, ScoringPolicy } from "../framework/schema.js";
import type { Margin } from "../rating/authority.js";

export type { Margin } from "../rating/authority.js";

import type { Flag } from "../vocabulary/schema.js";

export type { Flag };
export type ElementSource = "judgement" | "triangulated" | "unjudged";

/** How many judged items (elements, or results MIs) stand behind a score. */
export interface Coverage {
  readonly total: number;
  readonly scored: number;
  readonly noEvidence: number;
  readonly notApplicable: number;
}

export interface StreamConflict {
  readonly streams: Readonly<Record<string, number>>;
  readonly spread: number;
}

export interface ElementResult {
  readonly id: string;
  readonly mi: string;
  readonly score: number | null;
  readonly flag: Flag | null;
  readonly source: ElementSource;
  readonly evidence: readonly string[];
  readonly conflict: StreamConflict | null;
}

export interface ConfidenceResult {
  readonly computed: ConfidenceLevel | null;
  readonly stated: ConfidenceLevel | null;
  readonly agrees: boolean | null;
  readonly basis: { readonly streams: readonly string[]; readonly evidence: number; readonly scoredShare: number | null; readonly conflicts: number };
}

/** Why a computed rating is provisional under the policy's coverage rule (see `provisionalStatus`). */
export interface Provisional {
  readonly scored: number;
  readonly applicable: number;
  readonly reason: string;
}

interface Scored {
  readonly id: string;
  readonly title: string;
  /** Rounded by the policy; null when nothing was scored. */
  readonly score: number | null;
  /** The exact mean as a fraction ("7/2"), before rounding. */
  readonly exact: string | null;
  /** Band code, or the scale's no-evidence / not-applicable code. */
  readonly rating: string;
  readonly coverage: Coverage;
  readonly margin: Margin | null;
}

/** A computed MI or KPI rating, and whether the coverage rule marks it provisional (null: firm or not rated). */
interface RatedItem extends Scored {
  readonly provisional: Provisional | null;
}

export interface MiResult extends RatedItem {
  readonly kpi: string;
  /** Leaves with no score and nothing to derive one from: not judged yet (counted as N/E in `coverage`). */
  readonly unjudged: number;
  readonly scoring: "elements" | "rubric";
  readonly confidence: ConfidenceResult;
  readonly elements: readonly string[];
  /** Evidence entries behind the MI's elements (or behind the results MI itself). */
  readonly evidence: readonly string[];
}

export interface KpiResult extends RatedItem {
  readonly performanceArea: string;
  /** Leaves not judged yet (counted as N/E in `coverage`). */
  readonly unjudged: number;
  readonly mis: readonly string[];
  readonly miCoverage: Coverage;
  readonly confidence: Readonly<Record<ConfidenceLevel, number>>;
}

export interface PerformanceAreaResult {
  readonly id: string;
  readonly title: string;
  readonly kpis: readonly string[];
  /** Present only where the framework declares a performance-area statistic; MOPAN does not. */
  readonly statistic?: Omit<Scored, "id" | "title"> & { readonly note: string };
}

export interface ScoreProvenance {
  readonly engine: { readonly name: string; readonly version: string };
  readonly framework: {
    readonly id: string;
    readonly version: string;
    readonly contentHash: string;
    /** The framework's own provenance status, and how many of its items carry each status. */
    readonly provenance: ProvenanceStatus;
    readonly items: Readonly<Record<string, number>>;
  };
  readonly ratingScale: { readonly id: string; readonly methodologies: readonly string[]; readonly provenance: string };
  readonly methodology: string;
  readonly assessmentHash: string;
  /** How the assessment says its judgements were made; null when it does not say. */
  readonly judgements: { readonly status: ProvenanceStatus; readonly source: string | null } | null;
  readonly policy: ScoringPolicy;
}

/** Everything scoring computes; reports, comparisons and analyses read only this. */
export interface ScoreResult {
  readonly organisation: string;
  readonly provenance: ScoreProvenance;
  readonly performanceAreas: readonly PerformanceAreaResult[];
  readonly kpis: readonly KpiResult[];
  readonly mis: readonly MiResult[];
  readonly elements: readonly ElementResult[];
  readonly confidenceDisagreements: readonly { readonly mi: string; readonly stated: ConfidenceLevel; readonly computed: ConfidenceLevel | null }[];
  readonly conflicts: readonly ({ readonly id: string } & StreamConflict)[];
  /**
   * Elements and results MIs not judged yet: no score given and no suggested score to derive one
   * from. Arithmetic treats them as N/E; they are not judgements of "no evidence".
   */
  readonly unjudged: readonly string[];
}
