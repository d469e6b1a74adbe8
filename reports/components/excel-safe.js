// The one rule for CSV cells that open safely in Excel, shared by every CSV writer: the page
// downloads (./csv-download.js, in the browser) and the rejects CSV of an import
// (src/csv/excel-safe.ts, in Node). Plain JavaScript with no imports, so both can load it.

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV injection) when the cell
 * starts with one: = + - @ and their full-width (＝ ＋ － ＠) and small (﹦ ﹢ ﹣ ﹫) forms,
 * which Excel folds to the ASCII ones; a pipe | and its full-width form ｜ (DDE in older Excel
 * and in LibreOffice); and a tab, carriage return or line feed, which spreadsheets may skip
 * before reading a formula.
 */
export const FORMULA_START = /^[=+\-@|\t\r\n\uFF1D\uFF0B\uFF0D\uFF20\uFF5C\uFE66\uFE62\uFE63\uFE6B]/;

/** A plain number (ASCII sign, digits, decimal point): Excel reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * A cell's text, neutralised if a spreadsheet would run it as a formula: it gets a leading
 * apostrophe, which Excel shows as text. Numbers, including negative ones, stay numbers.
 */
export function excelSafeCell(value) {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) return `'${text}`;
  return text;
}
