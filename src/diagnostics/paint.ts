/**
 * How a text renderer (diagnostics here, scores in `src/render/`) marks ratings and problems for a
 * terminal. Renderers stay pure: they call these on text they have already laid out (padded), and
 * the CLI passes colours only where colour is wanted (`src/cli/colour.ts`). The default paints nothing.
 */
export interface Paint {
  /** A rating label (already padded) by its place among the scale's bands: 0 is the highest. */
  rating(text: string, rank: number | "flag", bands: number): string;
  error(text: string): string;
  warning(text: string): string;
  /** Secondary text: codes, locations. */
  dim(text: string): string;
}

const same = (text: string) => text;

export const NO_PAINT: Paint = { rating: same, error: same, warning: same, dim: same };
