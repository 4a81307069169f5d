/** Any result (score, comparison, analysis) as the JSON the CLI prints: two-space indented, one final line break. */
export const renderResultJson = (result: unknown): string => `${JSON.stringify(result, null, 2)}\n`;
