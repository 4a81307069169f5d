import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { checkRatingScale } from "./check.js";
import { RatingScale } from "./schema.js";

/** Validates a rating scale file: its shape, then its bands. */
export function loadRatingScale(raw: unknown, file?: string): { value?: RatingScale; diagnostics: Diagnostic[] } {
  const parsed = RatingScale.safeParse(raw);
  if (!parsed.success) return { diagnostics: diagnosticsFromZod(parsed.error, raw, file) };
  const diagnostics = checkRatingScale(parsed.data, file);
  return diagnostics.length > 0 ? { diagnostics } : { value: parsed.data, diagnostics };
}
