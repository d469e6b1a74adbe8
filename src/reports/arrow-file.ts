import { Bool, DataType, Dictionary, Float64, Int16, Int32, Int8, Null, Table, Utf8, type Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Row } from './mart-export.ts';

/** The narrowest Arrow type for a column's values (all null → Null). */
function columnType(values: readonly (string | number | boolean | null)[]): DataType {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return new Null();
  if (present.every((v) => typeof v === 'boolean')) return new Bool();
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    if (!numbers.every(Number.isInteger)) return new Float64();
    const max = Math.max(...numbers.map(Math.abs));
    return max < 2 ** 7 ? new Int8() : max < 2 ** 15 ? new Int16() : new Int32();
  }
  // Strings (and anything mixed, as text): dictionary-encoded, with the narrowest index.
  const distinct = new Set(present.map(String)).size;
  return new Dictionary(new Utf8(), distinct < 2 ** 7 ? new Int8() : distinct < 2 ** 15 ? new Int16() : new Int32());
}

/**
 * Arrow IPC bytes of the rows, keeping only `columns`, each column in the narrowest type that
 * holds it (small integers as Int8/Int16, strings dictionary-encoded with the smallest index):
 * pupil-level files stay several times smaller than with inferred Float64/Int32 columns. A
 * column with only nulls has the Null type; no rows give a readable, empty table.
 */
export function arrowFile(rows: readonly Row[], columns: readonly string[]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    const values = rows.map((r) => r[column] ?? null);
    const type = columnType(values);
    const typed = DataType.isDictionary(type) ? values.map((v) => (v === null ? null : String(v))) : values;
    vectors[column] = vectorFromArray(typed, type);
  }
  return tableToIPC(new Table(vectors), 'file');
}

/**
 * Writes the rows as Arrow IPC to stdout (a Framework loader's output). DuckDB here cannot
 * write Arrow itself (STACK-NOTES), so apache-arrow builds the table from the rows.
 */
export function writeArrow(rows: readonly Row[], columns: readonly string[]): void {
  process.stdout.write(arrowFile(rows, columns));
}
