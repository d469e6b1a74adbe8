import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowFile } from '../../src/reports/arrow-file.ts';
import { tarArchive } from '../../src/reports/tar-archive.ts';

/** Reads a ustar archive back: name, size and content of each member, checking each header's checksum. */
function readTar(bytes: Uint8Array): { name: string; data: string }[] {
  const text = (from: number, length: number) => new TextDecoder().decode(bytes.subarray(from, from + length)).replace(/\0.*$/s, '');
  const members: { name: string; data: string }[] = [];
  for (let offset = 0; bytes[offset] !== 0; ) {
    const header = bytes.slice(offset, offset + 512);
    const stored = parseInt(text(offset + 148, 8).trim(), 8);
    header.fill(0x20, 148, 156);
    expect(header.reduce((n, b) => n + b, 0)).toBe(stored);
    expect(text(offset + 257, 6)).toBe('ustar');
    const size = parseInt(text(offset + 124, 12), 8);
    members.push({ name: text(offset, 100), data: new TextDecoder().decode(bytes.subarray(offset + 512, offset + 512 + size)) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return members;
}

describe('tarArchive', () => {
  it('writes ustar members that read back byte for byte, padded to 512-byte blocks, with the end blocks', () => {
    const big = 'x'.repeat(1000);
    const bytes = tarArchive([
      { name: 'dates.json', data: '[{"date":"2026-07-21"}]' },
      { name: 'b07.arrow', data: big },
      { name: 'empty.json', data: '' },
    ]);
    expect(bytes.length % 512).toBe(0);
    expect(bytes.subarray(-1024).every((b) => b === 0)).toBe(true);
    expect(readTar(bytes)).toEqual([
      { name: 'dates.json', data: '[{"date":"2026-07-21"}]' },
      { name: 'b07.arrow', data: big },
      { name: 'empty.json', data: '' },
    ]);
  });

  it('is deterministic and refuses names tar cannot hold', () => {
    const entries = [{ name: 'a.json', data: '{}' }];
    expect(tarArchive(entries)).toEqual(tarArchive(entries));
    expect(() => tarArchive([{ name: 'a.json', data: '' }, { name: 'a.json', data: '' }])).toThrow(/duplicate/);
    expect(() => tarArchive([{ name: 'é.json', data: '' }])).toThrow(/ASCII/);
    expect(() => tarArchive([{ name: `${'n'.repeat(101)}`, data: '' }])).toThrow(/too long/);
  });
});

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
});
