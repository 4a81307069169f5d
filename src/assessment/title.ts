import type { Assessment } from "./schema.js";

/** The assessment's title, or one made from its organisation and period. */
export const assessmentTitle = (a: Assessment): string => a.title ?? `${a.organisation.name}${a.organisation.acronym ? ` (${a.organisation.acronym})` : ""}, ${a.period.from} to ${a.period.to}`;
