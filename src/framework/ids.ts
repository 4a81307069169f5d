import type { Level } from "./tree.js";

/** The numbers an id carries: PA3 -> [3], KPI12 -> [12], MI4.7 -> [4, 7], MI4.7.E2 -> [4, 7, 2]. */
export function parseId(level: Level, id: string): number[] | undefined {
  const pattern = PATTERNS[level];
  const match = pattern.exec(id);
  return match ? match.slice(1).map(Number) : undefined;
}

const N = "([1-9][0-9]{0,3})";
const PATTERNS: Record<Level, RegExp> = {
  "performance-area": new RegExp(`^PA${N}$`),
  kpi: new RegExp(`^KPI${N}$`),
  mi: new RegExp(`^MI${N}\\.${N}$`),
  element: new RegExp(`^MI${N}\\.${N}\\.E${N}$`),
};

export const ID_FORMS: Record<Level, string> = {
  "performance-area": "PA<n>",
  kpi: "KPI<n>",
  mi: "MI<kpi>.<n>",
  element: "MI<kpi>.<mi>.E<n>",
};

/** Builds the id of the `n`-th child of `parent` (KPI numbers run through the whole framework). */
export function childId(level: Level, parentNumbers: readonly number[], n: number): string {
  switch (level) {
    case "performance-area":
      return `PA${n}`;
    case "kpi":
      return `KPI${n}`;
    case "mi":
      return `MI${parentNumbers[0]}.${n}`;
    case "element":
      return `MI${parentNumbers[0]}.${parentNumbers[1]}.E${n}`;
  }
}

/** Display number of an item: "3", "12", "4.7", "4.7.2". */
export const numberOf = (level: Level, id: string): string => (parseId(level, id) ?? []).join(".");

/** The level an id belongs to, from its form alone. */
export function levelOfId(id: string): Level | undefined {
  for (const level of ["element", "mi", "kpi", "performance-area"] as const) {
    if (PATTERNS[level].test(id)) return level;
  }
  return undefined;
}
