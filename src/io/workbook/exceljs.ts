import type * as ExcelJsModule from "exceljs";

export type ExcelJs = typeof ExcelJsModule;

/**
 * exceljs, loaded on first use only: reading it costs about as much as a whole `mopan score` of a
 * JSON assessment, so commands that never touch a workbook never load it.
 */
export async function loadExcelJs(): Promise<ExcelJs> {
  const module = (await import("exceljs")) as unknown as { default?: ExcelJs } & ExcelJs;
  return module.default ?? module;
}
