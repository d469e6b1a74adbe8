import { createRequire } from 'node:module';
import { DuckDBTypeId, DuckDBVector, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult, type DuckDBType } from '@duckdb/node-api';
import type bindings from '@duckdb/node-bindings';

/** The node API's own native binding (the copy it loads, so its chunks are this one's). */
const duckdb = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'))('@duckdb/node-bindings') as typeof bindings;

/**
 * Query results as columns of plain values for page data, read chunk by chunk from DuckDB's
 * vectors: numbers from their typed arrays, short ASCII text from its inline bytes, dates as
 * 'YYYY-MM-DD' (one conversion per distinct day). The node API's own row objects convert every
 * value through a general converter (about 1 µs each); a trust's pupil timelines are 300
 * million values. Values are what `plain` in mart-export.ts gives: DATE → 'YYYY-MM-DD',
 * TIMESTAMP → 'YYYY-MM-DDTHH:MM' (a midnight one → 'YYYY-MM-DD'), BIGINT/DECIMAL → number.
 */
export type Plain = string | number | boolean | null;

/** A value of the node API's JS conversion as a page value. */
export function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16);
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** The fields of the node API's vectors read here (not in its type declarations). */
export interface RawVector {
  items?: ArrayLike<number | bigint>;
  dataView?: DataView;
  validity: { data: BigUint64Array | null };
}

/** A vector's validity as 32-bit words (bit j of word j >>> 5 set = row j has a value), or null when every row has one. */
export function validBits(vector: RawVector): Uint32Array | null {
  const data = vector.validity.data;
  return data ? new Uint32Array(data.buffer, data.byteOffset, data.length * 2) : null;
}

const decoder = new TextDecoder();
const dayText = new Map<number, string>();

/** A DATE (days since 1970-01-01) as 'YYYY-MM-DD', converted once per day. */
export function dateText(days: number): string {
  let text = dayText.get(days);
  if (text === undefined) {
    text = new Date(days * 86_400_000).toISOString().slice(0, 10);
    dayText.set(days, text);
  }
  return text;
}

/**
 * VARCHAR: a string_t is 16 bytes, the length then the text inline when ≤ 12 bytes, else a
 * pointer. Inline ASCII text is sliced from the bytes (one string, no decoder); a value whose
 * 16 bytes are those of the row before (sorted data repeats) is the same string again.
 */
function readText(vector: DuckDBVector, raw: RawVector, from: number, to: number, out: Plain[]): void {
  const view = raw.dataView!;
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const words = view.byteOffset % 4 === 0 ? new Uint32Array(view.buffer, view.byteOffset, view.byteLength >> 2) : null;
  const valid = validBits(raw);
  let previous: Plain = null;
  let previousAt = -1;
  for (let j = from; j < to; j++) {
    if (valid && !((valid[j >>> 5] >>> (j & 31)) & 1)) {
      out.push(null);
      continue;
    }
    const offset = j * 16;
    const length = view.getUint32(offset, true);
    if (length > 12) {
      out.push(vector.getItem(j) as string);
      continue;
    }
    if (words && previousAt >= 0) {
      const w = offset >> 2;
      const p = previousAt >> 2;
      if (words[w] === words[p] && words[w + 1] === words[p + 1] && words[w + 2] === words[p + 2] && words[w + 3] === words[p + 3]) {
        out.push(previous);
        continue;
      }
    }
    let ascii = true;
    for (let k = offset + 4; k < offset + 4 + length; k++) {
      if (bytes[k] >= 0x80) {
        ascii = false;
        break;
      }
    }
    const text = ascii ? bytes.toString('latin1', offset + 4, offset + 4 + length) : decoder.decode(bytes.subarray(offset + 4, offset + 4 + length));
    out.push(text);
    previous = text;
    previousAt = offset;
  }
}

function readNumbers(raw: RawVector, from: number, to: number, out: Plain[]): void {
  const items = raw.items as ArrayLike<number>;
  const valid = validBits(raw);
  for (let j = from; j < to; j++) out.push(valid && !((valid[j >>> 5] >>> (j & 31)) & 1) ? null : items[j]);
}

function readBigInts(raw: RawVector, from: number, to: number, out: Plain[]): void {
  const items = raw.items as ArrayLike<bigint>;
  const valid = validBits(raw);
  for (let j = from; j < to; j++) out.push(valid && !((valid[j >>> 5] >>> (j & 31)) & 1) ? null : Number(items[j]));
}

function readBooleans(raw: RawVector, from: number, to: number, out: Plain[]): void {
  const view = raw.dataView!;
  const valid = validBits(raw);
  for (let j = from; j < to; j++) out.push(valid && !((valid[j >>> 5] >>> (j & 31)) & 1) ? null : view.getUint8(j) !== 0);
}

function readDates(raw: RawVector, from: number, to: number, out: Plain[]): void {
  const items = raw.items as ArrayLike<number>;
  const valid = validBits(raw);
  for (let j = from; j < to; j++) out.push(valid && !((valid[j >>> 5] >>> (j & 31)) & 1) ? null : dateText(items[j]));
}

/**
 * Whether a DATE vector's days (of the rows with a value: a null row's slot holds whatever was
 * there) are all finite dates; ±infinity are read by the node API's general conversion.
 */
export function finiteDates(raw: RawVector): boolean {
  const items = raw.items as Int32Array;
  const valid = validBits(raw);
  for (let j = 0; j < items.length; j++) if (Math.abs(items[j]) >= 100_000_000 && !(valid && !((valid[j >>> 5] >>> (j & 31)) & 1))) return false;
  return true;
}

/** The column types of a result's chunks (registered by forEachChunk). */
const typesOfChunk = new WeakMap<DuckDBDataChunk, readonly DuckDBType[]>();
const vectorsOfChunk = new WeakMap<DuckDBDataChunk, DuckDBVector[]>();

/**
 * A chunk's column vector, as chunk.getColumnVector gives it (made once per chunk and column), but
 * for a chunk forEachChunk read, made with the type its result gave: the node API asks DuckDB
 * for each vector's type afresh, and an ENUM's type holds every value, read one call each (the
 * pupil timelines: 41 columns × 4,300 chunks at the trust, ENUMs of up to 64 values).
 */
export function chunkVector(chunk: DuckDBDataChunk, column: number): DuckDBVector {
  const types = typesOfChunk.get(chunk);
  if (!types) return chunk.getColumnVector(column);
  let vectors = vectorsOfChunk.get(chunk);
  if (!vectors) vectorsOfChunk.set(chunk, (vectors = []));
  return (vectors[column] ??= DuckDBVector.create(duckdb.data_chunk_get_vector(chunk.chunk, column), chunk.rowCount, types[column]));
}

/** Appends one column of a chunk (its rows `from` to `to`, by default all), as plain values, to `out`. */
export function appendColumn(chunk: DuckDBDataChunk, column: number, out: Plain[], from = 0, to = chunk.rowCount): void {
  const vector = chunkVector(chunk, column);
  const raw = vector as unknown as RawVector;
  switch (vector.type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return readText(vector, raw, from, to, out);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return readNumbers(raw, from, to, out);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return readBigInts(raw, from, to, out);
    case DuckDBTypeId.BOOLEAN:
      return readBooleans(raw, from, to, out);
    case DuckDBTypeId.DATE:
      // Finite dates only: ±infinity fall back to the general conversion, as before.
      if (finiteDates(raw)) return readDates(raw, from, to, out);
  }
  const values = chunk.convertColumnValues(column, JSDuckDBValueConverter);
  for (let j = from; j < to; j++) out.push(plain(values[j]));
}

/**
 * A chunk's column as runs of equal values (===, as appendColumn gives them): run i holds
 * `values[i]` and ends before row `ends[i]`. For a column whose rows come ordered (a part's key,
 * a pupil): text is read once per run, not once per row (a row whose 16 bytes are those of the
 * row before holds the same value).
 */
export function columnRuns(chunk: DuckDBDataChunk, column: number): { values: Plain[]; ends: number[] } {
  const rows = chunk.rowCount;
  const values: Plain[] = [];
  const ends: number[] = [];
  const vector = chunkVector(chunk, column);
  if (vector.type.typeId !== DuckDBTypeId.VARCHAR || rows === 0) {
    const all: Plain[] = [];
    appendColumn(chunk, column, all);
    for (let j = 0; j < rows; j++) {
      if (j > 0 && all[j] === all[j - 1]) ends[ends.length - 1] = j + 1;
      else values.push(all[j]), ends.push(j + 1);
    }
    return { values, ends };
  }
  const raw = vector as unknown as RawVector;
  const view = raw.dataView!;
  const valid = validBits(raw);
  const one: Plain[] = [];
  for (let j = 0; j < rows; j++) {
    if (j > 0) {
      const a = j * 16;
      const b = a - 16;
      const bothValid = !valid || ((valid[j >>> 5] >>> (j & 31)) & 1 && (valid[(j - 1) >>> 5] >>> ((j - 1) & 31)) & 1);
      if (bothValid && view.getUint32(a, true) === view.getUint32(b, true) && view.getUint32(a + 4, true) === view.getUint32(b + 4, true) &&
        view.getUint32(a + 8, true) === view.getUint32(b + 8, true) && view.getUint32(a + 12, true) === view.getUint32(b + 12, true)) {
        ends[ends.length - 1] = j + 1;
        continue;
      }
    }
    one.length = 0;
    readText(vector, raw, j, j + 1, one);
    if (j > 0 && one[0] === values[values.length - 1]) ends[ends.length - 1] = j + 1;
    else values.push(one[0]), ends.push(j + 1);
  }
  return { values, ends };
}

export interface Columns {
  names: string[];
  /** One array of values per name. */
  values: Plain[][];
  rows: number;
}

/**
 * Hands a streaming result's chunks to `onChunk` in order, asking DuckDB for the next chunk
 * before handing over the current one, so DuckDB (on its own threads) fills chunk n + 1 while
 * JavaScript reads chunk n. A chunk stays valid after the next is fetched (each is its own).
 */
export async function forEachChunk(result: DuckDBResult, onChunk: (chunk: DuckDBDataChunk) => void | Promise<void>, first?: Promise<DuckDBDataChunk | null>): Promise<void> {
  let next: Promise<DuckDBDataChunk | null> = first ?? result.fetchChunk();
  const types = result.columnTypes();
  for (;;) {
    const chunk = await next;
    if (!chunk || chunk.rowCount === 0) break;
    typesOfChunk.set(chunk, types);
    next = result.fetchChunk();
    try {
      await onChunk(chunk);
    } catch (error) {
      // The fetch under way must end before the connection can be closed or used again.
      await next.catch(() => null);
      throw error;
    }
  }
}

/**
 * Streams a query's result as DuckDB's own chunks (read them with appendColumn), for a caller
 * that sends a chunk's rows to different places; resolves with the column names.
 */
export async function streamChunks(
  connection: DuckDBConnection,
  sql: string,
  parameters: readonly unknown[],
  onChunk: (chunk: DuckDBDataChunk) => void | Promise<void>,
): Promise<string[]> {
  const result = await connection.stream(sql, parameters as never);
  await forEachChunk(result, onChunk);
  return result.columnNames();
}

/** A whole query result as columns. */
export async function readColumns(connection: DuckDBConnection, sql: string, parameters: readonly unknown[] = []): Promise<Columns> {
  const result = await connection.stream(sql, parameters as never);
  const names = result.columnNames();
  const values: Plain[][] = names.map(() => []);
  let rows = 0;
  await forEachChunk(result, (chunk) => {
    for (let i = 0; i < names.length; i++) appendColumn(chunk, i, values[i]);
    rows += chunk.rowCount;
  });
  return { names, values, rows };
}
