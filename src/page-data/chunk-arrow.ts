import { Bool, Data, DataType, Dictionary, Float64, Int16, Int32, Int8, Null, Utf8, type Vector, makeVector } from '../commonjs/apache-arrow.ts';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBEnumType, type DuckDBVector } from '@duckdb/node-api';
import { arrowColumn, arrowFileOfVectors } from './arrow-file.ts';
import { appendColumn, chunkVector, dateText, finiteDates, validBits, type Plain, type RawVector } from './duckdb-columns.ts';

/**
 * An Arrow file straight from DuckDB's vectors: the same bytes as reading the rows into columns
 * of values (appendColumn) and encoding them (arrowFileOfColumns), without the values. For the
 * pupil timelines (src/page-data/query-parts.ts), millions of rows cut into thousands of parts:
 * the JS values, a pass to find each column's type and another to encode it, and the garbage they
 * left were more than half of the export's JavaScript. Here numbers go from DuckDB's typed arrays into Arrow's,
 * and text is dictionary-encoded from its bytes: a value of at most 12 bytes (the string_t's
 * 16 bytes hold it whole, zero-padded) is looked up by those 16 bytes, with no string made;
 * longer text is read as a string, as before. Types with no path of their own here (timestamps,
 * decimals, times…) are read as values and encoded by arrowColumn, so any query works.
 */

/** Rows `from` to `to` of a chunk. */
export interface ChunkRange {
  chunk: DuckDBDataChunk;
  from: number;
  to: number;
}

/**
 * The Arrow IPC file of `columns`, each read from vector `firstVector + i` of the ranges' chunks,
 * the ranges' rows in order (arrowFileOfColumns' types: the narrowest integer, Float64, Bool,
 * dictionary-encoded text with the narrowest index, Null when every value is null).
 */
export function arrowFileOfChunkRanges(columns: readonly string[], ranges: readonly ChunkRange[], firstVector: number): Uint8Array {
  const length = ranges.reduce((n, r) => n + r.to - r.from, 0);
  const vectors: Vector[] = [];
  let dictionaries = 0;
  columns.forEach((column, i) => {
    const vector = columnOfRanges(ranges, firstVector + i, column, length, dictionaries);
    if (vector.type instanceof Dictionary) dictionaries++;
    vectors.push(vector);
  });
  return arrowFileOfVectors(columns, vectors);
}

function columnOfRanges(ranges: readonly ChunkRange[], index: number, column: string, length: number, dictionaryId: number): Vector {
  const vectors = ranges.map((r) => chunkVector(r.chunk, index));
  const typeId = vectors[0]?.type.typeId;
  if (vectors.some((v) => v.type.typeId !== typeId)) return fromValues(ranges, index, column, dictionaryId);
  switch (typeId) {
    case DuckDBTypeId.VARCHAR:
      return textColumn(ranges, vectors, length, dictionaryId);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return numberColumn(ranges, vectors, length);
    case DuckDBTypeId.BOOLEAN:
      return boolColumn(ranges, vectors, length);
    case DuckDBTypeId.ENUM:
      return enumColumn(ranges, vectors, length, dictionaryId);
    case DuckDBTypeId.DATE:
      if (vectors.every((v) => finiteDates(v as unknown as RawVector))) return dateColumn(ranges, vectors, length, dictionaryId);
  }
  return fromValues(ranges, index, column, dictionaryId);
}

/** Any other type: read as values (appendColumn), encoded by arrowColumn. */
function fromValues(ranges: readonly ChunkRange[], index: number, column: string, dictionaryId: number): Vector {
  const values: Plain[] = [];
  for (const { chunk, from, to } of ranges) appendColumn(chunk, index, values, from, to);
  return arrowColumn(values, column, dictionaryId);
}

/** Which rows have a value, as arrowColumn records it: a bitmap only when a row has none. */
class Validity {
  nullCount = 0;
  private bitmap: Uint8Array | null = null;
  constructor(private readonly length: number) {}
  setNull(row: number): void {
    if (!this.bitmap) this.bitmap = new Uint8Array((this.length + 7) >> 3).fill(0xff);
    this.bitmap[row >> 3] &= ~(1 << (row & 7));
    this.nullCount++;
  }
  /** Rows `row` to `row + n - 1` have no value. */
  setNulls(row: number, n: number): void {
    if (!this.bitmap) this.bitmap = new Uint8Array((this.length + 7) >> 3).fill(0xff);
    const bitmap = this.bitmap;
    const end = row + n;
    let r = row;
    for (; r < end && (r & 7) !== 0; r++) bitmap[r >> 3] &= ~(1 << (r & 7));
    if (end - r >= 8) {
      bitmap.fill(0, r >> 3, end >> 3);
      r = end & ~7;
    }
    for (; r < end; r++) bitmap[r >> 3] &= ~(1 << (r & 7));
    this.nullCount += n;
  }
  /**
   * Row `row` (row `j` of its chunk, which has no value) has none. When `j` starts a word of the
   * chunk's validity in which no row has a value, all 32 inside the range (`to`), the 32 at once:
   * most of a timeline's cells are null (64% at the trust; 17 of its 41 columns over 94%). Returns
   * how many rows more than the one were taken (31 or 0).
   */
  skipNulls(valid: Uint32Array, j: number, to: number, row: number): number {
    if ((j & 31) === 0 && j + 32 <= to && valid[j >>> 5] === 0) {
      this.setNulls(row, 32);
      return 31;
    }
    this.setNull(row);
    return 0;
  }
  /** The bitmap (bits past the last row cleared, as arrowColumn leaves them), or undefined when every row has a value. */
  get nullBitmap(): Uint8Array | undefined {
    if (!this.bitmap) return undefined;
    const tail = this.length & 7;
    if (tail) this.bitmap[this.bitmap.length - 1] &= (1 << tail) - 1;
    return this.bitmap;
  }
}

const isNull = (valid: Uint32Array | null, j: number) => valid !== null && !((valid[j >>> 5] >>> (j & 31)) & 1);

/**
 * makeData's Data of a flat type made here, without its visitor (which looks the type up and
 * checks each buffer, for every column of every part: thousands of parts at the trust): the same
 * buffers in the same places, an empty bitmap when no row is null, as makeData leaves it.
 * `values` must be the type's own array (makeData would reinterpret another's bytes).
 */
function flatData<T extends DataType>(type: T, length: number, nullCount: number, nullBitmap: Uint8Array | undefined, values?: ArrayBufferView, valueOffsets?: Int32Array, dictionary?: Vector): Data<T> {
  const ArrayType = (DataType.isDictionary(type) ? type.indices : type).ArrayType as unknown as new () => ArrayBufferView;
  if (values !== undefined && !(values instanceof ArrayType)) throw new Error(`a ${String(type)} column's values must be a ${ArrayType.name}, not a ${(values as object).constructor.name}`);
  return new Data(type, 0, length, nullCount, [valueOffsets, values, nullBitmap ?? new Uint8Array(0)] as never, [], dictionary);
}

const nullVector = (length: number): Vector => makeVector(new Data(new Null(), 0, length, length));

function numberColumn(ranges: readonly ChunkRange[], vectors: readonly DuckDBVector[], length: number): Vector {
  // The values as doubles (integers up to 2^53 exactly, as Number(bigint) gives), then the narrowest type.
  const all = new Float64Array(length);
  const validity = new Validity(length);
  let allIntegers = true;
  let max = 0;
  let row = 0;
  ranges.forEach(({ from, to }, r) => {
    const raw = vectors[r] as unknown as RawVector;
    const items = raw.items!;
    const big = typeof items[0] === 'bigint';
    const valid = validBits(raw);
    for (let j = from; j < to; j++, row++) {
      if (isNull(valid, j)) {
        const more = validity.skipNulls(valid!, j, to, row);
        j += more;
        row += more;
        continue;
      }
      const n = big ? Number(items[j]) : (items[j] as number);
      all[row] = n;
      if (allIntegers && !Number.isInteger(n)) allIntegers = false;
      else if (allIntegers) max = Math.max(max, Math.abs(n));
    }
  });
  if (validity.nullCount === length) return nullVector(length);
  const type = !allIntegers ? new Float64() : max < 2 ** 7 ? new Int8() : max < 2 ** 15 ? new Int16() : new Int32();
  const data = type instanceof Float64 ? all : type instanceof Int8 ? new Int8Array(all) : type instanceof Int16 ? new Int16Array(all) : new Int32Array(all);
  return makeVector(flatData(type, length, validity.nullCount, validity.nullBitmap, data));
}

function boolColumn(ranges: readonly ChunkRange[], vectors: readonly DuckDBVector[], length: number): Vector {
  const data = new Uint8Array((length + 7) >> 3);
  const validity = new Validity(length);
  let row = 0;
  ranges.forEach(({ from, to }, r) => {
    const raw = vectors[r] as unknown as RawVector;
    const view = raw.dataView!;
    const valid = validBits(raw);
    for (let j = from; j < to; j++, row++) {
      if (isNull(valid, j)) {
        const more = validity.skipNulls(valid!, j, to, row);
        j += more;
        row += more;
      } else if (view.getUint8(j) !== 0) data[row >> 3] |= 1 << (row & 7);
    }
  });
  if (validity.nullCount === length) return nullVector(length);
  return makeVector(flatData(new Bool(), length, validity.nullCount, validity.nullBitmap, data));
}

/**
 * A dictionary being built in order of first appearance (arrowColumn's order): each distinct
 * value's UTF-8 bytes, and each row's id.
 */
class DictionaryBuilder {
  readonly ids: Int32Array;
  readonly validity: Validity;
  private readonly bytes: Uint8Array[] = [];
  private size = 0;
  constructor(readonly length: number) {
    this.ids = new Int32Array(length);
    this.validity = new Validity(length);
  }
  /** A new distinct value's bytes (copied); its id. */
  add(bytes: Uint8Array): number {
    return this.addShared(bytes.slice());
  }
  /** A new distinct value's bytes, not copied (bytes no one changes: vector() copies them out); its id. */
  addShared(bytes: Uint8Array): number {
    this.bytes.push(bytes);
    this.size += bytes.length;
    return this.bytes.length - 1;
  }
  vector(dictionaryId: number): Vector {
    const { length, validity } = this;
    if (validity.nullCount === length) return nullVector(length);
    const distinct = this.bytes.length;
    const valueOffsets = new Int32Array(distinct + 1);
    const data = new Uint8Array(this.size);
    let at = 0;
    for (let i = 0; i < distinct; i++) {
      data.set(this.bytes[i], at);
      at += this.bytes[i].length;
      valueOffsets[i + 1] = at;
    }
    const dictionary = makeVector(flatData(new Utf8(), distinct, 0, undefined, data, valueOffsets));
    const type = new Dictionary(new Utf8(), distinct < 2 ** 7 ? new Int8() : distinct < 2 ** 15 ? new Int16() : new Int32(), dictionaryId);
    const indices = type.indices instanceof Int8 ? new Int8Array(this.ids) : type.indices instanceof Int16 ? new Int16Array(this.ids) : this.ids;
    return makeVector(flatData(type, length, validity.nullCount, validity.nullBitmap, indices, undefined, dictionary));
  }
}

/**
 * Ids of short text by its string_t's 16 bytes (length, then the text zero-padded), an
 * open-addressing table of 4-word keys: no string is made to look a value up.
 */
class ShortTextIds {
  private keys = new Uint32Array(64 * 4);
  private ids = new Int32Array(64).fill(-1);
  private count = 0;
  /** The id of the 16 bytes at `words[w..w + 4]`, or -1. */
  get(words: Uint32Array, w: number): number {
    const mask = this.ids.length - 1;
    for (let slot = hash4(words, w) & mask; ; slot = (slot + 1) & mask) {
      const id = this.ids[slot];
      if (id < 0) return -1;
      const k = slot * 4;
      if (this.keys[k] === words[w] && this.keys[k + 1] === words[w + 1] && this.keys[k + 2] === words[w + 2] && this.keys[k + 3] === words[w + 3]) return id;
    }
  }
  set(words: Uint32Array, w: number, id: number): void {
    if (2 * (this.count + 1) > this.ids.length) this.grow();
    this.place(words, w, id);
    this.count++;
  }
  private place(words: Uint32Array, w: number, id: number): void {
    const mask = this.ids.length - 1;
    let slot = hash4(words, w) & mask;
    while (this.ids[slot] >= 0) slot = (slot + 1) & mask;
    this.keys.set(words.subarray(w, w + 4), slot * 4);
    this.ids[slot] = id;
  }
  private grow(): void {
    const { keys, ids } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    for (let slot = 0; slot < ids.length; slot++) if (ids[slot] >= 0) this.place(keys, slot * 4, ids[slot]);
  }
}

function hash4(words: Uint32Array, w: number): number {
  let h = Math.imul(words[w] ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ words[w + 1] ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ words[w + 2] ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ words[w + 3] ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function textColumn(ranges: readonly ChunkRange[], vectors: readonly DuckDBVector[], length: number, dictionaryId: number): Vector {
  const dict = new DictionaryBuilder(length);
  const short = new ShortTextIds();
  // Longer or non-ASCII text by its string (what arrowColumn keyed it by).
  const byText = new Map<string, number>();
  const idOfText = (text: string) => {
    let id = byText.get(text);
    if (id === undefined) byText.set(text, (id = dict.addShared(encoder.encode(text))));
    return id;
  };
  let row = 0;
  ranges.forEach(({ from, to }, r) => {
    const vector = vectors[r];
    const raw = vector as unknown as RawVector;
    const view = raw.dataView!;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    // 4-byte words of the string_t's (copied if the data is not aligned to 4 bytes).
    const words = view.byteOffset % 4 === 0 ? new Uint32Array(view.buffer, view.byteOffset, view.byteLength >> 2) : new Uint32Array(bytes.slice().buffer, 0, view.byteLength >> 2);
    const valid = validBits(raw);
    // The row before with a value: the same 16 bytes (inline text, or the same pointer and length) are the same value.
    let previousAt = -1;
    let previousId = -1;
    for (let j = from; j < to; j++, row++) {
      if (isNull(valid, j)) {
        const more = dict.validity.skipNulls(valid!, j, to, row);
        j += more;
        row += more;
        continue;
      }
      const w = j * 4;
      if (previousAt >= 0 && words[w] === words[previousAt] && words[w + 1] === words[previousAt + 1] && words[w + 2] === words[previousAt + 2] && words[w + 3] === words[previousAt + 3]) {
        dict.ids[row] = previousId;
        continue;
      }
      const size = words[w];
      let id: number;
      if (size > 12) id = idOfText(vector.getItem(j) as string);
      else {
        const at = j * 16 + 4;
        let ascii = true;
        for (let k = at; k < at + size; k++) {
          if (bytes[k] >= 0x80) {
            ascii = false;
            break;
          }
        }
        if (!ascii) id = idOfText(decoder.decode(bytes.subarray(at, at + size)));
        else {
          id = short.get(words, w);
          if (id < 0) {
            id = dict.add(bytes.subarray(at, at + size));
            short.set(words, w, id);
          }
        }
      }
      dict.ids[row] = id;
      previousAt = w;
      previousId = id;
    }
  });
  return dict.vector(dictionaryId);
}

/**
 * An ENUM's values as UTF-8, by its list of values (one list per query's column type, shared by
 * its chunks: src/page-data/duckdb-columns.ts, chunkVector): encoded once, not once a part (the
 * pupil timelines: thousands of parts, each with its own dictionary of the values it uses).
 */
const enumBytesOf = new WeakMap<readonly string[], readonly Uint8Array[]>();
function enumBytes(values: readonly string[]): readonly Uint8Array[] {
  let bytes = enumBytesOf.get(values);
  if (!bytes) enumBytesOf.set(values, (bytes = values.map((v) => encoder.encode(v))));
  return bytes;
}

/**
 * ENUM: text a query cast to an enum (the pupil timelines' `kind`: src/page-data/timeline-parts.ts),
 * so each row is a small index into the enum's values, read from a typed array with no string
 * made or fetched; encoded as the same text would be (a dictionary in order of first appearance).
 * A VARCHAR longer than 12 bytes costs a call into DuckDB per row (`attendance_week`, half of a
 * trust's 8.6M timeline rows).
 */
function enumColumn(ranges: readonly ChunkRange[], vectors: readonly DuckDBVector[], length: number, dictionaryId: number): Vector {
  // One query's column: one enum type in every chunk, its values encoded once for all its parts.
  const bytes = enumBytes((vectors[0].type as DuckDBEnumType).values);
  const dict = new DictionaryBuilder(length);
  // Enum index → dictionary id, given on first appearance.
  const idOf = new Int32Array(bytes.length).fill(-1);
  let row = 0;
  ranges.forEach(({ from, to }, r) => {
    const raw = vectors[r] as unknown as RawVector;
    const items = raw.items as Uint8Array | Uint16Array | Uint32Array;
    const valid = validBits(raw);
    for (let j = from; j < to; j++, row++) {
      if (isNull(valid, j)) {
        const more = dict.validity.skipNulls(valid!, j, to, row);
        j += more;
        row += more;
        continue;
      }
      const index = items[j];
      let id = idOf[index];
      if (id < 0) id = idOf[index] = dict.addShared(bytes[index]);
      dict.ids[row] = id;
    }
  });
  return dict.vector(dictionaryId);
}

/** A day's ISO text as UTF-8 (dateText), encoded once, not once a part: a timeline part holds a hundred days or so. */
const bytesOfDay = new Map<number, Uint8Array>();
function dayBytes(day: number): Uint8Array {
  let bytes = bytesOfDay.get(day);
  if (!bytes) bytesOfDay.set(day, (bytes = encoder.encode(dateText(day))));
  return bytes;
}

function dateColumn(ranges: readonly ChunkRange[], vectors: readonly DuckDBVector[], length: number, dictionaryId: number): Vector {
  const dict = new DictionaryBuilder(length);
  const byDay = new Map<number, number>();
  let previousDay = NaN;
  let previousId = 0;
  let row = 0;
  ranges.forEach(({ from, to }, r) => {
    const raw = vectors[r] as unknown as RawVector;
    const items = raw.items as Int32Array;
    const valid = validBits(raw);
    for (let j = from; j < to; j++, row++) {
      if (isNull(valid, j)) {
        const more = dict.validity.skipNulls(valid!, j, to, row);
        j += more;
        row += more;
        continue;
      }
      const day = items[j];
      // Rows come ordered by date within a pupil: the day of the row before, no lookup.
      if (day !== previousDay) {
        let id = byDay.get(day);
        if (id === undefined) byDay.set(day, (id = dict.addShared(dayBytes(day))));
        previousDay = day;
        previousId = id;
      }
      dict.ids[row] = previousId;
    }
  });
  return dict.vector(dictionaryId);
}
