import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import * as browser from '../../reports/components/csv-download.js';
import { excelSafeCell as sharedRule } from '../../reports/components/excel-safe.js';
import * as node from '../../src/csv/excel-safe.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Cells as written → as a CSV writer must write them. */
const CASES: Array<[unknown, string]> = [
  // The usual formula starts.
  ['=1+1', "'=1+1"],
  ['+44 20 7946 0000', "'+44 20 7946 0000"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
  ['\t=1+1', "'\t=1+1"],
  ['\r=1+1', "'\r=1+1"],
  // The gaps the trial found: a line feed, full-width forms (Excel folds them to ASCII), a pipe.
  ['\n=1+1', "'\n=1+1"],
  ['＝HYPERLINK("http://evil.example")', `'＝HYPERLINK("http://evil.example")`],
  ['＋1+1', "'＋1+1"],
  ['－1+1', "'－1+1"],
  ['＠SUM(A1)', "'＠SUM(A1)"],
  ['﹦1+1', "'﹦1+1"],
  ["|cmd '/C calc'!A0", "'|cmd '/C calc'!A0"],
  ['｜cmd', "'｜cmd"],
  // Left alone: numbers (negative too), ordinary text, formula characters not at the start.
  ['-2', '-2'],
  ['+3.5', '+3.5'],
  [-4, '-4'],
  ['Lateness to lesson', 'Lateness to lesson'],
  ['a=b|c', 'a=b|c'],
  ['Zoë Núñez', 'Zoë Núñez'],
  [null, ''],
];

/** The cells of a CSV written by either writer (BOM dropped). */
function cellsOf(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
}

describe('Excel-safe CSV: one rule, used by both writers', () => {
  it.each(CASES)('the rule writes %j as %j', (input, expected) => {
    expect(sharedRule(input)).toBe(expected);
  });

  it('the page downloads and the rejects CSV use the very same function', () => {
    expect(browser.excelSafeCell).toBe(sharedRule);
    expect(node.excelSafeCell).toBe(sharedRule);
  });

  it('both writers write every case neutralised, cell for cell', () => {
    const rows = CASES.map(([value], i) => ({ n: String(i), value }));
    const expected = [['n', 'value'], ...CASES.map(([, out], i) => [String(i), out])];
    expect(cellsOf(node.toExcelSafeCsv(rows, ['n', 'value']))).toEqual(expected);
    expect(cellsOf(browser.toExcelSafeCsv(rows, ['n', 'value']))).toEqual(expected);
  });

  it('no other source file defines its own rule', () => {
    const definitions: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist' || e.name === 'data') continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') && !full.includes(`${path.sep}test${path.sep}`)) {
          const text = readFileSync(full, 'utf-8');
          if (/function\s+excelSafeCell\b|const\s+excelSafeCell\s*=|\[=\+\\-@/.test(text)) definitions.push(path.relative(ROOT, full));
        }
      }
    };
    for (const top of ['src', 'data-loaders', 'reports', 'bin', 'scripts']) {
      try {
        walk(path.join(ROOT, top));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    expect(definitions).toEqual([path.join('reports', 'components', 'excel-safe.js')]);
  });

  it('an import writes rejected values starting with ＝, | or - neutralised in the rejects CSV', async () => {
    const exports = mkdtempSync(path.join(os.tmpdir(), 'pastoral-excel-'));
    const school = path.join(exports, 'school');
    mkdirSync(school);
    writeFileSync(
      path.join(school, 'students.csv'),
      ['student_id,first_name,year_group', 'P1,Ann,9', 'P2,Bob,＝1+1', 'P3,Cat,|calc', 'P4,Dan,-3+4', ''].join('\n'),
    );
    const warehouse = await openTempWarehouse();
    try {
      const report = await ingest(warehouse.connection, [exports], { rejectsDir: path.join(exports, 'rejects') });
      const cells = cellsOf(readFileSync(report.rejectsCsv as string, 'utf-8'));
      expect(cells.slice(1).map((r) => [r[2], r[3], r[4]])).toEqual([
        ['3', 'year_group', "'＝1+1"],
        ['4', 'year_group', "'|calc"],
        ['5', 'year_group', "'-3+4"],
      ]);
    } finally {
      warehouse.close();
    }
  });
});
