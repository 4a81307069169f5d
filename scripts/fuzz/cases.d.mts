// Types of scripts/fuzz/cases.mjs, for the tests that use it (tests/fuzz/).
import type { Arbitrary } from "fast-check";

export type Recipe = { readonly cmd: string; readonly [key: string]: unknown };
export interface CaseResult {
  readonly problems: string[];
  readonly code: number | null | undefined;
  readonly argv: string[];
  readonly stderr: string;
}
export interface Bases {
  readonly assessments: Record<"iom" | "small" | "overlay", Record<string, unknown>>;
  readonly frameworks: Record<string, unknown>;
}

export const ROOT: string;
export const BIN: string;
export const CASE_TIMEOUT_MS: number;
export const INJECTION: readonly string[];
export const FORMULAS: readonly string[];
export const URLS: readonly string[];
export const ODD_IDS: readonly string[];
export const recipeArb: Arbitrary<Recipe>;
export function sanityRecipes(): Recipe[];
export function bases(Registry: new (dirs?: readonly string[]) => unknown): Bases;
/** What `run` from src/cli/run.ts needs of its output streams. */
export interface CaptureIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}
/** Called with a case's command line before it runs, so a hang can be reported with it. */
export type OnPlan = (argv: string[]) => void;
export function runInProcess(recipe: Recipe, dir: string, bases: Bases, run: (argv: readonly string[], io: CaptureIo) => Promise<number>, onPlan?: OnPlan): Promise<CaseResult>;
export function runAsChild(recipe: Recipe, dir: string, bases: Bases, onPlan?: OnPlan): CaseResult;
export function htmlProblems(html: string): string[];
export function csvProblems(csv: string): string[];
export function rawHtmlInMarkdown(markdown: string): string | undefined;
export function describeArgv(argv: readonly string[]): string;
