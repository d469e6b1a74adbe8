import {
  Bool, type Data, DataType, Dictionary, Field, Float64, Int16, Int32, Int8, Null, Struct, Utf8, type Vector,
  makeData, makeVector, vectorFromArray,
} from '../commonjs/apache-arrow.ts';
import { arrowIpcFile } from './arrow-ipc-file.ts';
import { emitFile, type Row } from './mart-export.ts';

type Value = unknown;

/**
 * The narrowest Arrow type for a column's values (all null → Null). A column mixing kinds of
 * value is refused: it would come back changed. `dictionaryId` numbers a text column's
 * dictionary within its file (apache-arrow would take the next id of a counter shared by the
 * whole process, so the same rows gave different bytes, and a different content hash, on every call).
 */
function columnType(values: readonly Value[], column: string, dictionaryId: number): DataType {
  let kind: string | null = null;
  let count = 0;
  let allIntegers = true;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) continue;
    const k = typeof v;
    if (kind === null) kind = k;
    else if (k !== kind) {
      const kinds = new Set(values.filter((x) => x != null).map((x) => typeof x));
      throw new Error(`column ${column} mixes ${[...kinds].sort().join(' and ')} values: one kind per Arrow column`);
    }
    count++;
    if (k === 'number') {
      const n = v as number;
      if (allIntegers && !Number.isInteger(n)) allIntegers = false;
      else if (allIntegers) max = Math.max(max, Math.abs(n));
    }
  }
  if (count === 0) return new Null();
  if (kind === 'boolean') return new Bool();
  // Objects of text by key (e.g. which counts of a row are hidden, and why): a struct of text fields.
  if (kind === 'object') {
    const present = values.filter((v) => v != null);
    if (present.some((v) => Array.isArray(v))) throw new Error(`column ${column} holds a list: not a page-data value`);
    const keys = [...new Set(present.flatMap((v) => Object.keys(v as object)))].sort();
    for (const v of present) {
      for (const value of Object.values(v as object)) if (value !== null && typeof value !== 'string') throw new Error(`column ${column} holds an object with a value that is not text`);
    }
    return new Struct(keys.map((k) => new Field(k, new Utf8(), true)));
  }
  if (kind === 'number') {
    if (!allIntegers) return new Float64();
    return max < 2 ** 7 ? new Int8() : max < 2 ** 15 ? new Int16() : new Int32();
  }
  // Strings: dictionary-encoded, with the narrowest index for the number of distinct values
  // (columnVector counts them as it encodes: Int32 here stands for "to be narrowed").
  return new Dictionary(new Utf8(), new Int32(), dictionaryId);
}

/** A validity bitmap (bit set = a value), or null when nothing is missing. */
function validityOf(values: readonly Value[]): { bitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) if (values[i] == null) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] != null) bitmap[i >> 3] |= 1 << (i & 7);
  return { bitmap, nullCount };
}

const encoder = new TextEncoder();

/** Text values as one Utf8 column's data (offsets and bytes). */
function utf8Data(strings: readonly string[]): Data<Utf8> {
  const encoded = strings.map((s) => encoder.encode(s));
  const valueOffsets = new Int32Array(strings.length + 1);
  let size = 0;
  for (let i = 0; i < encoded.length; i++) {
    size += encoded[i].length;
    valueOffsets[i + 1] = size;
  }
  const data = new Uint8Array(size);
  for (let i = 0; i < encoded.length; i++) data.set(encoded[i], valueOffsets[i]);
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets, data });
}

/**
 * One column's Arrow data, built straight into typed arrays (apache-arrow's builders, which
 * `vectorFromArray` uses, cost most of a large export's time); the same bytes as
 * `vectorFromArray(values, type)` (test/page-data/arrow-file.test.ts compares them).
 */
function columnVector(values: readonly Value[], type: DataType): Vector {
  const length = values.length;
  if (DataType.isNull(type)) return makeVector(makeData({ type, length, nullCount: length }));
  if (DataType.isStruct(type)) {
    const filled = values.map((v) => (v == null ? null : Object.fromEntries(type.children.map((f) => [f.name, (v as Record<string, unknown>)[f.name] ?? null]))));
    return vectorFromArray(filled, type);
  }
  const { bitmap: nullBitmap, nullCount } = validityOf(values);
  if (DataType.isBool(type)) {
    const data = new Uint8Array((length + 7) >> 3);
    for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] |= 1 << (i & 7);
    return makeVector(makeData({ type: type as Bool, length, nullCount, nullBitmap, data }));
  }
  if (DataType.isFloat(type) || DataType.isInt(type)) {
    const Array_ = type instanceof Float64 ? Float64Array : type instanceof Int8 ? Int8Array : type instanceof Int16 ? Int16Array : Int32Array;
    const data = new Array_(length);
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v != null) data[i] = v as number;
    }
    return makeVector(makeData({ type: type as Int32, length, nullCount, nullBitmap, data: data as Int32Array }));
  }
  if (DataType.isDictionary(type)) {
    const ids = new Map<string, number>();
    const strings: string[] = [];
    const wide = new Int32Array(length);
    let previous: unknown = undefined;
    let previousId = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v == null) continue;
      // Sorted data repeats the value of the row before: no lookup.
      if (v !== previous) {
        let id = ids.get(v as string);
        if (id === undefined) {
          id = strings.push(v as string) - 1;
          ids.set(v as string, id);
        }
        previous = v;
        previousId = id;
      }
      wide[i] = previousId;
    }
    const distinct = strings.length;
    const dictType = new Dictionary(new Utf8(), distinct < 2 ** 7 ? new Int8() : distinct < 2 ** 15 ? new Int16() : new Int32(), (type as Dictionary).id);
    const indices = dictType.indices instanceof Int8 ? new Int8Array(wide) : dictType.indices instanceof Int16 ? new Int16Array(wide) : wide;
    const dictionary = makeVector(utf8Data(strings));
    return makeVector(makeData({ type: dictType, length, nullCount, nullBitmap, data: indices as Int32Array, dictionary }));
  }
  throw new Error(`no Arrow encoding for ${String(type)}`);
}

/**
 * Arrow IPC bytes of columns of values (`values[i]` holds column `columns[i]`, every column the
 * same length), each column in the narrowest type that holds it (small integers as Int8/Int16,
 * strings dictionary-encoded with the smallest index): pupil-level files stay several times
 * smaller than with inferred Float64/Int32 columns. A column with only nulls has the Null
 * type; a column of objects of text (which counts of a row are hidden, and why) a struct of
 * text fields; no rows give a readable, empty table. The same values give the same bytes.
 */
export function arrowFileOfColumns(columns: readonly string[], values: readonly (readonly Value[])[]): Uint8Array {
  const vectors: Vector[] = [];
  let dictionaries = 0;
  columns.forEach((column, i) => {
    const vector = arrowColumn(values[i], column, dictionaries);
    if (DataType.isDictionary(vector.type)) dictionaries++;
    vectors.push(vector);
  });
  return arrowFileOfVectors(columns, vectors);
}

/**
 * One column of values in the narrowest type that holds it (arrowFileOfColumns); a text column's
 * dictionary gets id `dictionaryId` (the count of dictionary columns before it in the file).
 */
export function arrowColumn(values: readonly Value[], column: string, dictionaryId: number): Vector {
  return columnVector(values, columnType(values, column, dictionaryId));
}

/**
 * Arrow IPC bytes of a table of these columns (each vector as arrowColumn makes it): tableToIPC's
 * bytes, laid out without its table and writer (src/page-data/arrow-ipc-file.ts).
 */
export function arrowFileOfVectors(columns: readonly string[], vectors: readonly Vector[]): Uint8Array {
  return arrowIpcFile(columns, vectors);
}

/** Arrow IPC bytes of the rows, keeping only `columns` (arrowFileOfColumns). */
export function arrowFile(rows: readonly Record<string, unknown>[], columns: readonly string[]): Uint8Array {
  return arrowFileOfColumns(columns, columns.map((column) => rows.map((r) => r[column] ?? null)));
}

/**
 * Writes the rows as an Arrow IPC file (the columns asked for; by default those of the first row), the loader's output (src/page-data/mart-export.ts, emitFile).
 * DuckDB here cannot write Arrow itself (STACK-NOTES), so the rows are encoded here (arrowFileOfColumns, apache-arrow's format).
 */
export async function writeArrow(rows: readonly Row[], columns: readonly string[] = Object.keys(rows[0] ?? {})): Promise<void> {
  await emitFile(arrowFile(rows, columns));
}
