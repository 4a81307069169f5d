import { createColors } from "picocolors";
import { NO_PAINT, type Paint } from "../render/paint.js";

/**
 * Whether to colour a stream: never with NO_COLOR (any non-empty value, no-color.org), always with
 * FORCE_COLOR (unless "0" or "false"), else only on a terminal that is not "dumb".
 */
export function colourWanted(isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"]) return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "0" && force !== "false") return true;
  return isTty && env["TERM"] !== "dumb";
}

/** Terminal colours (picocolors) when wanted, else none: ratings green to red by band, errors red, warnings yellow. */
export function paintFor(isTty: boolean, env: NodeJS.ProcessEnv = process.env): Paint {
  if (!colourWanted(isTty, env)) return NO_PAINT;
  const c = createColors(true);
  const byRank = [c.green, c.cyan, c.yellow, c.red];
  return {
    rating: (text, rank, bands) => {
      if (rank === "flag") return c.dim(text);
      // Spread any number of bands over the four colours, highest green, lowest red.
      const slot = bands <= 1 ? 0 : Math.round((rank / (bands - 1)) * (byRank.length - 1));
      return byRank[slot]!(text);
    },
    error: (text) => c.bold(c.red(text)),
    warning: (text) => c.yellow(text),
    dim: (text) => c.dim(text),
  };
}
