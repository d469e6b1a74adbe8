import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverExports } from '../../data-loaders/discover.ts';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

/** Can this machine make symbolic links (Windows needs developer mode or admin rights for them)? */
function canLink(): boolean {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-link-probe-'));
  try {
    writeFileSync(path.join(dir, 'a'), '');
    symlinkSync('a', path.join(dir, 'b'));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const students = (...ids: string[]) => `student_id,first_name,year_group\n${ids.map((id) => `${id},Zoë,9`).join('\n')}\n`;

describe.skipIf(!canLink())('symbolic links in the export folders: followed, or listed with the reason', () => {
  let root: string;
  let trust: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-links-'));
    trust = path.join(root, 'trust');
    const a = path.join(trust, '100001');
    mkdirSync(path.join(a, 'archive'), { recursive: true });
    writeFileSync(path.join(a, 'students.csv'), students('P1', 'P2'));
    // A school's export kept elsewhere (a shared drive) and linked into its folder.
    mkdirSync(path.join(root, 'shared'));
    writeFileSync(path.join(root, 'shared', 'behaviour-100001.csv'), 'event_id,student_id,date,category\nB1,P1,2025-09-03,Praise\nB2,P2,2025-09-03,Praise\n');
    symlinkSync(path.join('..', '..', 'shared', 'behaviour-100001.csv'), path.join(a, 'behaviour.csv'));
    symlinkSync('students.csv', path.join(a, 'all pupils.csv'));
    symlinkSync('missing.csv', path.join(a, 'gone.csv'));
    // A school folder that is itself a link (the export tool writes elsewhere).
    mkdirSync(path.join(root, 'elsewhere', '100002'), { recursive: true });
    writeFileSync(path.join(root, 'elsewhere', '100002', 'students.csv'), students('Q1'));
    symlinkSync(path.join('..', 'elsewhere', '100002'), path.join(trust, '100002'), 'dir');
    // A second name for a school, links that loop, an empty folder and a stray file.
    symlinkSync('100001', path.join(trust, '100003'), 'dir');
    symlinkSync('..', path.join(trust, 'up'), 'dir');
    symlinkSync('cycle-b', path.join(trust, 'cycle-a'));
    symlinkSync('cycle-a', path.join(trust, 'cycle-b'));
    mkdirSync(path.join(trust, 'empty'));
    writeFileSync(path.join(trust, 'README.txt'), 'exports for the trust');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('follows linked CSVs and linked school folders, and lists everything else with the reason', () => {
    const { schools, skipped } = discoverExports([trust]);
    expect(schools.map((s) => [s.schoolId, s.files.map((f) => path.basename(f))])).toEqual([
      ['100001', ['behaviour.csv', 'students.csv']],
      ['100002', ['students.csv']],
    ]);
    expect(skipped.map((s) => [s.schoolId, s.fileName, s.reason])).toEqual([
      ['trust', 'cycle-a', 'a link to cycle-b that leads back to itself (a loop of links)'],
      ['trust', 'cycle-b', 'a link to cycle-a that leads back to itself (a loop of links)'],
      ['100001', 'gone.csv', 'a link to missing.csv, which does not exist'],
      ['100001', 'all pupils.csv', 'the same file as students.csv (a link to students.csv): read once'],
      ['100001', 'archive/', "a folder inside a school folder: only the school folder's own files are read"],
      ['trust', '100003/', 'the same folder as school "100001" (a link to 100001): read once'],
      ['trust', 'empty/', 'no .csv files in this folder'],
      ['trust', 'README.txt', 'beside the school folders: a trust folder holds one folder per school, and only those are read'],
      ['trust', 'up/', `a link to .., a folder holding this one (a loop): not followed`],
    ]);
  });

  it('an import loads the linked files and reports what it did not read', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const report = await ingest(warehouse.connection, [trust]);
      expect(report.files.map((f) => [f.schoolId, f.fileName, f.rowsLoaded, f.rowsRejected])).toEqual([
        ['100001', 'students.csv', 2, 0],
        ['100001', 'behaviour.csv', 2, 0],
        ['100002', 'students.csv', 1, 0],
      ]);
      expect(report.ignored).toHaveLength(9);
      const rows = await queryRows<{ school_id: string; n: number }>(
        warehouse.connection,
        'SELECT school_id, count(*)::INTEGER AS n FROM raw.students GROUP BY school_id ORDER BY school_id',
      );
      expect(rows).toEqual([
        { school_id: '100001', n: 2 },
        { school_id: '100002', n: 1 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('a folder whose only school folders lead nowhere says why nothing was found', () => {
    const lonely = path.join(root, 'lonely');
    mkdirSync(lonely);
    symlinkSync('nowhere', path.join(lonely, '100009'), 'dir');
    expect(() => discoverExports([lonely])).toThrow(/no export files found in .*lonely: .* \(skipped 100009: a link to nowhere, which does not exist\)/);
  });
});
