// Types for excel-safe.js: the one Excel-safe cell rule, used by the page downloads and the rejects CSV.
export const FORMULA_START: RegExp;
export function excelSafeCell(value: unknown): string;
