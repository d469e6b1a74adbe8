import Papa from 'papaparse';

/**
 * Neutralises cells Excel would run as formulas (CSV injection): a leading = + - @ (or tab /
 * carriage return) gets a leading apostrophe, which Excel shows as text. Negative numbers stay
 * numbers: only non-numeric text is touched.
 */
export function excelSafeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) return `'${text}`;
  return text;
}

/** A CSV a user can open safely in Excel: UTF-8 with BOM (so Excel reads accents), CRLF. */
export function toExcelSafeCsv(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): string {
  const data = rows.map((row) => columns.map((c) => excelSafeCell(row[c])));
  return `\uFEFF${Papa.unparse({ fields: [...columns], data }, { newline: '\r\n' })}\r\n`;
}
