import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowFile } from '../../src/reports/arrow-file.ts';

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

  it('refuses a column mixing kinds of value, which would come back changed', () => {
    expect(() => arrowFile([{ label: 'Year 7' }, { label: 7 }], ['label'])).toThrow(/column label mixes number and string values/);
    expect(() => arrowFile([{ flag: true }, { flag: 1 }], ['flag'])).toThrow(/column flag mixes boolean and number values/);
  });
});
