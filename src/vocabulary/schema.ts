/**
 * The vocabulary every data file shares: where an item comes from (provenance), why a score is
 * missing (the flags N/E and N/A), how far a score can be trusted (confidence), and the form of a file-level id (frameworks, rating scales,
 * crosswalks, uncertainty models). Defined once here, below every model that uses them.
 */
import * as z from "zod";

/** How far an item can be trusted: confirmed by a public source, reconstructed, or added by this project. */
export const ProvenanceStatus = z.enum(["verified", "reconstructed-high", "reconstructed-medium", "reconstructed-low", "project"]);
export type ProvenanceStatus = z.infer<typeof ProvenanceStatus>;

export const Provenance = z
  .object({
    status: ProvenanceStatus,
    source: z.string().min(1).optional().describe("Where the item comes from: a document, URL or note section."),
    basis: z.string().min(1).optional().describe("The source sentence the item rests on; required for `project` items."),
  })
  .strict();
export type Provenance = z.infer<typeof Provenance>;

/** Why an element or item has no score: no evidence (N/E), or not applicable (N/A). */
export const FLAGS = ["N/E", "N/A"] as const;
export type Flag = (typeof FLAGS)[number];

/** Confidence in the evidence behind a score, computed or stated by assessors. */
export const ConfidenceLevel = z.enum(["high", "medium", "low"]);
export type ConfidenceLevel = z.infer<typeof ConfidenceLevel>;

/** A lower-case kebab-case word: band and flag codes, tags. */
export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The form of a file-level id: lower-case words joined by dots or hyphens (mopan-3.1). */
export const DATA_ID_PATTERN = /^[a-z0-9]+([.-][a-z0-9]+)*$/;
export const DataId = z.string().regex(DATA_ID_PATTERN, "a lower-case id such as mopan-3.1");
export const isDataId = (id: string): boolean => DATA_ID_PATTERN.test(id);
