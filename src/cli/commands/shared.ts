import type { Assessment } from "../../assessment/schema.js";

export const assessmentTitle = (a: Assessment): string =>
  a.title ?? `${a.organisation.name}${a.organisation.acronym ? ` (${a.organisation.acronym})` : ""}, ${a.period.from} to ${a.period.to}`;
