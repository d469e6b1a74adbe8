/**
 * The demo's CSV writer quotes cells itself (for speed): it must write exactly what
 * Papaparse's unparse wrote, so the same seed still gives the same bytes.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { type Cell, CsvTable, csvCell } from '../../src/demo/write-csv.ts';

const CELLS: Cell[] = [
  '', 'plain', 'two words', ' leading space', 'trailing space ', 'a,b', 'say "no"', '"', 'line\nbreak', 'cr\rhere',
  '\ufeffbom', '=SUM(A1)', '-3', 'Zoë Ó Súilleabháin', 0, -4, 2.5, 1e21, null, undefined,
];

describe('csvCell', () => {
  it.each(CELLS.map((c) => [JSON.stringify(c) ?? 'undefined', c] as const))('writes %s as Papaparse does', (_label, cell) => {
    expect(csvCell(cell)).toBe(Papa.unparse([[cell === undefined ? null : cell]], { newline: '\n' }));
  });

  it('quotes what must be quoted and leaves the rest alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "no"')).toBe('"say ""no"""');
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('CsvTable', () => {
  it('writes the header, every row and a final newline, like Papaparse, across chunk boundaries', () => {
    const table = new CsvTable(['id', 'comment', 'points']);
    const rows: Cell[][] = Array.from({ length: 45_001 }, (_, i) => [`E${i}`, CELLS[i % CELLS.length], i % 7 === 0 ? null : i]);
    for (const row of rows) table.push(row);
    const expected = `${Papa.unparse({ fields: ['id', 'comment', 'points'], data: rows.map((r) => r.map((c) => c ?? '')) }, { newline: '\n' })}\n`;
    expect(table.rows).toBe(rows.length);
    expect(table.text()).toBe(expected);
  });
});
