import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';

/** A row of an export file, by its header. */
export type CsvRow = Record<string, string>;

/** An export file's header and rows (the tests' edits of generated exports). */
export function readCsv(file: string): { fields: string[]; rows: CsvRow[] } {
  const parsed = Papa.parse<CsvRow>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

/** Edits one export file in place, keeping its header. */
export function edit(file: string, change: (rows: CsvRow[]) => CsvRow[]): void {
  const { fields, rows } = readCsv(file);
  writeFileSync(file, `${Papa.unparse(change(rows), { columns: fields, newline: '\n' })}\n`);
}
