import Papa from 'papaparse';
// The one Excel-safe cell rule, shared with the page downloads (reports/components/csv-download.js).
import { excelSafeCell } from '../../reports/components/excel-safe.js';

export { excelSafeCell };

/**
 * A CSV a user can open safely in Excel: UTF-8 with BOM (so Excel reads accents), CRLF, every
 * cell neutralised by the shared rule (reports/components/excel-safe.js): text starting with
 * = + - @ | (or their full-width forms), a tab, CR or LF gets a leading apostrophe.
 */
export function toExcelSafeCsv(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): string {
  const data = rows.map((row) => columns.map((c) => excelSafeCell(row[c])));
  return `\uFEFF${Papa.unparse({ fields: [...columns], data }, { newline: '\r\n' })}\r\n`;
}
