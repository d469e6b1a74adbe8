import { type DataType, type Dictionary, Table, tableFromIPC, tableToIPC, type Vector, vectorFromArray } from '../../src/commonjs/apache-arrow.ts';
import { describe, expect, it } from 'vitest';
import { arrowFile, arrowFileOfColumns } from '../../src/page-data/arrow-file.ts';

/** apache-arrow's own builders (what arrowFile used before it filled typed arrays itself), given the types. */
function builtByApacheArrow(rows: Record<string, unknown>[], columns: [string, DataType][]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const [name, type] of columns) vectors[name] = vectorFromArray(rows.map((r) => r[name] ?? null), type);
  return tableToIPC(new Table(vectors), 'file');
}

/** A small deterministic pseudo-random sequence (no Math.random: a failure must be repeatable). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('arrowFile', () => {
  it('keeps the columns asked for, in the narrowest types, and reads back the same values', () => {
    const rows = [
      { kind: 'behaviour', points: -3, minutes: null, pct: 97.5, repeat: true, comment: '<b>x</b>', extra: 'dropped' },
      { kind: 'detention', points: null, minutes: 60, pct: null, repeat: false, comment: null, extra: 'dropped' },
    ];
    const columns = ['kind', 'points', 'minutes', 'pct', 'repeat', 'comment', 'nothing'];
    const table = tableFromIPC(arrowFile(rows, columns));
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['kind', 'Dictionary<Int8, Utf8>'],
      ['points', 'Int8'],
      ['minutes', 'Int8'],
      ['pct', 'Float64'],
      ['repeat', 'Bool'],
      ['comment', 'Dictionary<Int8, Utf8>'],
      ['nothing', 'Null'],
    ]);
    expect(table.toArray().map((r) => r.toJSON())).toEqual(rows.map(({ extra: _, ...r }) => ({ ...r, nothing: null })));
  });

  it('widens integers and dictionary indexes as the values need', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: `S${i}`, sessions: i * 200 }));
    const table = tableFromIPC(arrowFile(rows, ['id', 'sessions']));
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Dictionary<Int16, Utf8>', 'Int32']);
    expect(table.getChild('sessions')?.get(299)).toBe(59800);
  });

  it('keeps objects of text (which counts are hidden, and why) as a struct, a missing key as null', () => {
    const rows = [
      { school_id: 'A', suppressed: { bsc_placements: 'fewer than 5' } },
      { school_id: 'B', suppressed: null },
      { school_id: 'C', suppressed: { suspensions: 'secondary' } },
    ];
    const table = tableFromIPC(arrowFile(rows, ['school_id', 'suppressed']));
    expect(String(table.schema.fields[1].type)).toBe('Struct<{bsc_placements:Utf8, suspensions:Utf8}>');
    expect(JSON.parse(JSON.stringify(table.toArray().map((r) => r.toJSON())))).toEqual([
      { school_id: 'A', suppressed: { bsc_placements: 'fewer than 5', suspensions: null } },
      { school_id: 'B', suppressed: null },
      { school_id: 'C', suppressed: { bsc_placements: null, suspensions: 'secondary' } },
    ]);
  });

  it("reads back as apache-arrow's builders' file does, in the same types, and is never larger", () => {
    const next = numbers(7);
    const words = ['Year 7', 'Year 8', 'Zoë', '<b>x</b>', '', 'Ŵales', 'a longer comment about a lesson that went badly'];
    for (const length of [0, 1, 7, 8, 9, 64, 65, 300, 1000]) {
      const rows = Array.from({ length }, (_, i) => ({
        text: next() < 0.2 ? null : words[Math.floor(next() * words.length)],
        many: next() < 0.1 ? null : `S${Math.floor(next() * 40000)}`,
        small: next() < 0.3 ? null : Math.floor(next() * 200) - 100,
        mid: Math.floor(next() * 60000) - 30000,
        big: i % 5 === 0 ? null : Math.floor(next() * 2 ** 30),
        pct: next() < 0.5 ? null : next() * 100,
        flag: next() < 0.25 ? null : next() < 0.5,
        none: null,
      }));
      const file = arrowFile(rows, ['text', 'many', 'small', 'mid', 'big', 'pct', 'flag', 'none']);
      const types = tableFromIPC(file).schema.fields.map((f) => [f.name, f.type] as [string, DataType]);
      // The reference gets the same types, each dictionary with the id arrowFile gave it. Its
      // builders pad validity bitmaps and booleans to 64 bytes, so its file is the same or larger.
      const reference = builtByApacheArrow(rows, types);
      const read = (bytes: Uint8Array) => tableFromIPC(bytes).toArray().map((r) => r.toJSON());
      expect(read(file)).toEqual(read(reference));
      expect(read(file)).toEqual(rows);
      expect(tableFromIPC(reference).schema.fields.map((f) => String(f.type))).toEqual(types.map(([, t]) => String(t)));
      expect(file.length).toBeLessThanOrEqual(reference.length);
    }
  });

  it('gives the same bytes for the same rows, however many files the process wrote before', () => {
    const rows = [{ kind: 'behaviour', n: 1 }, { kind: 'bsc', n: 2 }];
    const first = arrowFile(rows, ['kind', 'n']);
    arrowFile([{ a: 'x', b: 'y' }], ['a', 'b']);
    expect(Buffer.from(arrowFile(rows, ['kind', 'n'])).equals(Buffer.from(first))).toBe(true);
    // Two text columns: two dictionaries, numbered in the file.
    const table = tableFromIPC(arrowFile([{ a: 'x', b: 'y' }], ['a', 'b']));
    expect(table.schema.fields.map((f) => (f.type as Dictionary).id)).toEqual([0, 1]);
  });

  it('writes columns of values as it writes rows', () => {
    const rows = [{ a: 'x', n: 1, f: true }, { a: null, n: 300, f: null }, { a: 'x', n: null, f: false }];
    const columns = ['a', 'n', 'f'];
    expect(Buffer.from(arrowFileOfColumns(columns, columns.map((c) => rows.map((r) => r[c as keyof typeof r])))).equals(Buffer.from(arrowFile(rows, columns)))).toBe(true);
  });

  it('refuses a column mixing kinds of value, which would come back changed', () => {
    expect(() => arrowFile([{ label: 'Year 7' }, { label: 7 }], ['label'])).toThrow(/column label mixes number and string values/);
    expect(() => arrowFile([{ flag: true }, { flag: 1 }], ['flag'])).toThrow(/column flag mixes boolean and number values/);
  });
});
