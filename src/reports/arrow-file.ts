import { Bool, DataType, Dictionary, Field, Float64, Int16, Int32, Int8, Null, Struct, Table, Utf8, type Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { emitFile, type Row } from './mart-export.ts';

/** The narrowest Arrow type for a column's values (all null → Null). A column mixing kinds of value is refused: it would come back changed. */
function columnType(values: readonly unknown[], column: string): DataType {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return new Null();
  const kinds = new Set(present.map((v) => typeof v));
  if (kinds.size > 1) throw new Error(`column ${column} mixes ${[...kinds].sort().join(' and ')} values: one kind per Arrow column`);
  if (present.every((v) => typeof v === 'boolean')) return new Bool();
  // Objects of text by key (e.g. which counts of a row are hidden, and why): a struct of text fields.
  if (present.every((v) => typeof v === 'object' && !Array.isArray(v))) {
    const keys = [...new Set(present.flatMap((v) => Object.keys(v as object)))].sort();
    for (const v of present) {
      for (const value of Object.values(v as object)) if (value !== null && typeof value !== 'string') throw new Error(`column ${column} holds an object with a value that is not text`);
    }
    return new Struct(keys.map((k) => new Field(k, new Utf8(), true)));
  }
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    if (!numbers.every(Number.isInteger)) return new Float64();
    const max = numbers.reduce((m, n) => Math.max(m, Math.abs(n)), 0);
    return max < 2 ** 7 ? new Int8() : max < 2 ** 15 ? new Int16() : new Int32();
  }
  // Strings: dictionary-encoded, with the narrowest index.
  const distinct = new Set(present).size;
  return new Dictionary(new Utf8(), distinct < 2 ** 7 ? new Int8() : distinct < 2 ** 15 ? new Int16() : new Int32());
}

/**
 * Arrow IPC bytes of the rows, keeping only `columns`, each column in the narrowest type that
 * holds it (small integers as Int8/Int16, strings dictionary-encoded with the smallest index):
 * pupil-level files stay several times smaller than with inferred Float64/Int32 columns. A
 * column with only nulls has the Null type; a column of objects of text (which counts of a row
 * are hidden, and why) a struct of text fields; no rows give a readable, empty table.
 */
export function arrowFile(rows: readonly Record<string, unknown>[], columns: readonly string[]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    const values = rows.map((r) => r[column] ?? null);
    const type = columnType(values, column);
    const filled = DataType.isStruct(type)
      ? values.map((v) => (v === null ? null : Object.fromEntries(type.children.map((f) => [f.name, (v as Record<string, unknown>)[f.name] ?? null]))))
      : values;
    vectors[column] = vectorFromArray(filled, type);
  }
  return tableToIPC(new Table(vectors), 'file');
}

/**
 * Writes the rows as an Arrow IPC file (the columns asked for; by default those of the first row), the loader's output (src/reports/mart-export.ts, emitFile).
 * DuckDB here cannot write Arrow itself (STACK-NOTES), so apache-arrow builds the table from the rows.
 */
export async function writeArrow(rows: readonly Row[], columns: readonly string[] = Object.keys(rows[0] ?? {})): Promise<void> {
  await emitFile(arrowFile(rows, columns));
}
