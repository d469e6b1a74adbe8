import {
  Bool, type DataType, Dictionary, Float32, Float64, Int16, Int32, Int8, Null, Table, Utf8, type Vector,
  DateDay, Field, Struct, makeData, makeVector, tableFromIPC, tableToIPC, vectorFromArray,
} from '../../src/commonjs/apache-arrow.ts';
import { describe, expect, it } from 'vitest';
import { arrowIpcFile, laidOut } from '../../src/page-data/arrow-ipc-file.ts';

/** A small deterministic pseudo-random sequence (no Math.random: a failure must be repeatable). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const byTable = (columns: readonly string[], vectors: readonly Vector[]) =>
  tableToIPC(new Table(Object.fromEntries(columns.map((c, i) => [c, vectors[i]]))), 'file');

/** A column of `length` rows of `type` (null with probability `nulls`), built by apache-arrow's builders. */
function column(type: DataType, length: number, nulls: number, next: () => number): Vector {
  const values = Array.from({ length }, (_, i) => {
    if (next() < nulls) return null;
    if (type instanceof Null) return null;
    if (type instanceof Bool) return next() < 0.5;
    if (type instanceof Int8) return Math.floor(next() * 250) - 125;
    if (type instanceof Int16) return Math.floor(next() * 60000) - 30000;
    if (type instanceof Int32) return Math.floor(next() * 4e9) - 2e9;
    if (type instanceof Float32 || type instanceof Float64) return Math.round(next() * 1e4) / 100;
    // Text: a few values, some repeated, some long, some not ASCII.
    const pick = Math.floor(next() * (type instanceof Dictionary && type.indices instanceof Int16 ? 400 : 12));
    return pick % 5 === 0 ? `long text number ${pick} — élève` : `v${pick}-${i % 3}`;
  });
  return vectorFromArray(values, type);
}

const TYPES: (() => DataType)[] = [
  () => new Null(),
  () => new Bool(),
  () => new Int8(),
  () => new Int16(),
  () => new Int32(),
  () => new Float32(),
  () => new Float64(),
  () => new Utf8(),
  () => new Dictionary(new Utf8(), new Int8(), 0),
  () => new Dictionary(new Utf8(), new Int16(), 0),
  () => new Dictionary(new Utf8(), new Int32(), 0),
];

describe('arrowIpcFile', () => {
  it("writes tableToIPC's bytes for every flat type, with and without nulls, at lengths across byte and padding boundaries", () => {
    const next = numbers(7);
    let files = 0;
    for (const length of [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300]) {
      for (const nulls of [0, 0.3, 1]) {
        // Every type once, in a shuffled order, dictionaries numbered in column order.
        const order = TYPES.map((make, i) => ({ make, key: next(), i })).sort((a, b) => a.key - b.key);
        let dictionaries = 0;
        const columns = order.map(({ i }) => `c${i}`);
        const vectors = order.map(({ make }) => {
          let type = make();
          if (type instanceof Dictionary) type = new Dictionary(new Utf8(), type.indices, dictionaries++);
          return column(type, length, nulls, next);
        });
        // Laid out here, not handed to tableToIPC.
        const mine = laidOut(columns, vectors)!;
        expect(mine).not.toBeNull();
        expect(Buffer.from(mine).equals(Buffer.from(byTable(columns, vectors))), `length ${length}, nulls ${nulls}`).toBe(true);
        const back = tableFromIPC(mine);
        expect(back.numRows).toBe(length);
        for (const [c, name] of columns.entries()) expect(back.getChild(name)?.toArray().length ?? 0).toBe(vectors[c].length);
        expect(JSON.stringify(back.toArray())).toBe(JSON.stringify(new Table(Object.fromEntries(columns.map((c, i) => [c, vectors[i]]))).toArray()));
        files++;
      }
    }
    expect(files).toBe(36);
  });

  it("reuses a schema's footer with each file's blocks written in: tableToIPC's bytes file after file", () => {
    const next = numbers(23);
    // The same schema every time (nulls in every column, the same index widths), other lengths and values.
    const types = () => [new Int16(), new Dictionary(new Utf8(), new Int8(), 0), new Float64(), new Bool(), new Dictionary(new Utf8(), new Int8(), 1)];
    for (const length of [40, 3, 300, 41, 1000, 7]) {
      const vectors = types().map((type) => {
        let v = column(type, length, 0.3, next);
        // Keep a null in every column (the schema's nullable flags), however few the rows.
        while (v.nullCount === 0) v = column(type, length, 0.3, next);
        return v;
      });
      const columns = ['points', 'kind', 'pct', 'flag', 'staff'];
      const mine = laidOut(columns, vectors)!;
      expect(Buffer.from(mine).equals(Buffer.from(byTable(columns, vectors))), `length ${length}`).toBe(true);
      expect(tableFromIPC(mine).numRows).toBe(length);
    }
  });

  it("reuses a message's shape with its numbers written in, a number flatbuffers leave out when 0 (an empty body, a dictionary's id 0) kept apart", () => {
    const next = numbers(31);
    // Shapes met twice or more, with other numbers: all-null columns (a body of no bytes) then one
    // with bytes, as many nodes and buffers; a lone dictionary numbered 0, then 1 (its id left out, then written).
    const cases: Array<[string[], () => Vector[]]> = [
      [['a', 'b'], () => [column(new Null(), 5, 1, next), column(new Null(), 5, 1, next)]],
      [['a', 'b'], () => [column(new Null(), 9, 1, next), column(new Null(), 9, 1, next)]],
      [['a'], () => [column(new Int8(), 4, 0, next)]],
      [['a'], () => [column(new Int8(), 12, 0, next)]],
      [['k'], () => [column(new Dictionary(new Utf8(), new Int8(), 0), 6, 0.2, next)]],
      [['k'], () => [column(new Dictionary(new Utf8(), new Int8(), 1), 6, 0.2, next)]],
      [['k'], () => [column(new Dictionary(new Utf8(), new Int8(), 0), 30, 0.2, next)]],
      [['k'], () => [column(new Dictionary(new Utf8(), new Int8(), 1), 2, 0.2, next)]],
    ];
    for (const [i, [columns, make]] of cases.entries()) {
      const vectors = make();
      const mine = laidOut(columns, vectors)!;
      expect(Buffer.from(mine).equals(Buffer.from(byTable(columns, vectors))), `case ${i}`).toBe(true);
      expect(tableFromIPC(mine).numRows).toBe(vectors[0].length);
    }
  });

  it('takes vectors made from typed arrays (as src/page-data/chunk-arrow.ts makes them), bitmaps and all', () => {
    const ids = new Int8Array([0, 1, 0, 2, 1]);
    const valueOffsets = new Int32Array([0, 3, 10, 12]);
    const text = new TextEncoder().encode('abcdefghijkl');
    const dictionary = makeVector(makeData({ type: new Utf8(), length: 3, nullCount: 0, valueOffsets, data: text }));
    const kind = makeVector(makeData({ type: new Dictionary(new Utf8(), new Int8(), 0), length: 5, nullCount: 1, nullBitmap: Uint8Array.of(0b10111), data: ids, dictionary }));
    const points = makeVector(makeData({ type: new Int16(), length: 5, nullCount: 0, data: Int16Array.of(1, -2, 300, 4, 5) }));
    const none = makeVector(makeData({ type: new Null(), length: 5, nullCount: 5 }));
    const flags = makeVector(makeData({ type: new Bool(), length: 5, nullCount: 2, nullBitmap: Uint8Array.of(0b11001), data: Uint8Array.of(0b01001) }));
    const columns = ['kind', 'points', 'none', 'flags'];
    const vectors = [kind, points, none, flags];
    const mine = laidOut(columns, vectors)!;
    expect(mine).not.toBeNull();
    expect(Buffer.from(mine).equals(Buffer.from(byTable(columns, vectors)))).toBe(true);
    expect(tableFromIPC(mine).toArray().map((r) => r.toJSON())).toEqual([
      { kind: 'abc', points: 1, none: null, flags: true },
      { kind: 'defghij', points: -2, none: null, flags: null },
      { kind: 'abc', points: 300, none: null, flags: null },
      { kind: null, points: 4, none: null, flags: true },
      { kind: 'defghij', points: 5, none: null, flags: false },
    ]);
  });

  it('leaves what it does not lay out itself to tableToIPC: no rows, a struct, a date, a sliced or chunked vector', () => {
    const next = numbers(11);
    const cases: [string, Vector[]][] = [
      ['no rows', [vectorFromArray([], new Int8()), vectorFromArray([], new Dictionary(new Utf8(), new Int8(), 0))]],
      ['a struct', [column(new Int8(), 4, 0.2, next), vectorFromArray([{ a: 'x' }, null, { a: null }, { a: 'y' }], new Struct([new Field('a', new Utf8(), true)]))]],
      ['a date', [column(new Int16(), 3, 0, next), vectorFromArray([new Date(Date.UTC(2025, 8, 1)), null, new Date(Date.UTC(2026, 0, 5))], new DateDay())]],
      ['a slice', [column(new Int32(), 20, 0.2, next).slice(5, 15), column(new Utf8(), 30, 0.1, next).slice(3, 13)]],
      ['chunks', [column(new Int8(), 4, 0, next).concat(column(new Int8(), 4, 0, next)), column(new Float64(), 8, 0.5, next)]],
    ];
    for (const [name, vectors] of cases) {
      const columns = vectors.map((_, i) => `c${i}`);
      expect(laidOut(columns, vectors), name).toBeNull();
      expect(Buffer.from(arrowIpcFile(columns, vectors)).equals(Buffer.from(byTable(columns, vectors))), name).toBe(true);
    }
  });
});
