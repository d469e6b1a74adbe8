import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, type ImportReport } from '../../data-loaders/ingest.ts';
import { RemovalGuardError } from '../../data-loaders/load-file.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

/**
 * A weekly import of several schools loads each record type's small files together
 * (data-loaders/load-batch.ts). Two schools, `north` and `south`, start as copies of the tiny
 * school; a later export of each then corrects, adds and deletes rows. Imported together (a batch)
 * and school by school (each file alone, as a one-school import always is), the warehouse and
 * every file's report must be the same.
 */
const lines = (file: string) => readFileSync(fixture('tiny-school', file), 'utf-8').trimEnd().split('\n');
const BEHAVIOUR = lines('behaviour.csv');
const EVENT = Object.fromEntries(BEHAVIOUR.slice(1).map((line) => [line.split(',')[0], line]));
const ATTENDANCE = lines('attendance.csv');

/** The schools' exports in a new folder; north's with Windows line endings (CRLF), south's with LF, as two MIS may write them. */
function folder(files: Record<string, Record<string, string[]>>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-batch-'));
  for (const [school, byName] of Object.entries(files)) {
    mkdirSync(path.join(root, school));
    const eol = school === 'north' ? '\r\n' : '\n';
    for (const [name, rows] of Object.entries(byName)) writeFileSync(path.join(root, school, name), `${rows.join(eol)}${eol}`);
  }
  return root;
}

/** Both schools as a copy of one fixture school (the tiny school by default), a first import. */
function firstExport(from = 'tiny-school'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-batch-'));
  for (const school of ['north', 'south']) cpSync(fixture(from), path.join(root, school), { recursive: true });
  return root;
}

/**
 * The week's exports: north deleted E3 and corrected E2's category (Defiance to Refusal), south added E8; both added a
 * day of marks, south's with a retired code (H).
 */
const WEEK = {
  north: {
    'behaviour.csv': [BEHAVIOUR[0], EVENT.E1, EVENT.E2.replace('Defiance', 'Refusal'), EVENT.E4, EVENT.E5, EVENT.E6],
    'attendance.csv': [ATTENDANCE[0], 'A,2025-09-22,AM,/,', 'A,2025-09-22,PM,\\,', 'B,2025-09-22,AM,L,12'],
  },
  south: {
    'behaviour.csv': [...BEHAVIOUR, 'E8,B,2025-09-19,11:00,P3,negative,Disruption,-2,2,English,Classroom,DEF,,'],
    'attendance.csv': [ATTENDANCE[0], 'A,2025-09-22,AM,H,', 'A,2025-09-22,PM,H,', 'B,2025-09-22,AM,/,'],
  },
};

/** Every statement that reads an export into `src_read` (one per file loaded alone, one per batch). */
function countReads(warehouse: Warehouse): { reads: string[] } {
  const counted = { reads: [] as string[] };
  const run = warehouse.connection.run.bind(warehouse.connection);
  warehouse.connection.run = ((sql: string, ...rest: unknown[]) => {
    if (/^\s*CREATE TEMP TABLE src_read\b/.test(sql)) counted.reads.push(sql);
    return (run as (...args: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
  }) as typeof warehouse.connection.run;
  return counted;
}

/** What a report says of each file, with the import's own id left out. */
const filesOf = (report: ImportReport) => report.files.map((f) => ({ ...f }));

/** The raw tables with each row's import id left out (the two imports have different ids). */
async function contentOf(warehouse: Warehouse, ids: readonly string[]) {
  const snapshot = await rawSnapshot(warehouse.connection);
  return Object.fromEntries(Object.entries(snapshot).map(([t, rows]) => [t, rows.map((r) => ids.reduce((s, id) => s.split(id).join('<import>'), r)).sort()]));
}

describe('a weekly import of several schools: each record type loaded in one batch', () => {
  let together: Warehouse;
  let apart: Warehouse;
  beforeEach(async () => {
    together = await openTempWarehouse();
    apart = await openTempWarehouse();
    const first = firstExport();
    await ingest(together.connection, [first]);
    await ingest(apart.connection, [first]);
  });
  afterEach(() => {
    together.close();
    apart.close();
  });

  it('gives the rows, removals, corrections and reports of loading each file alone, in one read per type', async () => {
    const week = folder(WEEK);
    const counted = countReads(together);
    const batched = await ingest(together.connection, [week]);
    // Four files, two types: one read of each type's two files, with each row's file.
    expect(counted.reads).toHaveLength(2);
    expect(counted.reads.every((sql) => sql.includes('file_index'))).toBe(true);

    const north = await ingest(apart.connection, [path.join(week, 'north')]);
    const south = await ingest(apart.connection, [path.join(week, 'south')]);
    expect(filesOf(batched)).toEqual([...filesOf(north), ...filesOf(south)]);
    expect(await contentOf(together, [batched.importId])).toEqual(await contentOf(apart, [north.importId, south.importId]));

    // And the figures themselves, counted by hand.
    const byFile = Object.fromEntries(batched.files.map((f) => [`${f.schoolId}/${f.recordType}`, f]));
    expect(byFile['north/behaviour']).toMatchObject({ rowsRead: 5, rowsLoaded: 5, rowsNew: 0, rowsChanged: 1, rowsUnchanged: 4, rowsRemoved: 1 });
    expect(byFile['north/behaviour'].windows).toEqual([{ schoolId: 'north', from: '2025-09-09', to: '2025-09-19', full: false, held: 6, removed: 1 }]);
    expect(byFile['south/behaviour']).toMatchObject({ rowsRead: 7, rowsNew: 1, rowsChanged: 0, rowsUnchanged: 6, rowsRemoved: 0 });
    expect(byFile['north/attendance']).toMatchObject({ rowsRead: 3, rowsNew: 3, rowsRemoved: 0 });
    expect(byFile['north/attendance'].warnings).toEqual([]);
    expect(byFile['south/attendance'].warnings).toEqual(['retired attendance code H found 2 times: read as authorised holiday (retired; now C)']);
    const removed = await queryRows(together.connection, "SELECT school_id, change, \"key\"->>'event_id' AS event FROM raw.removed_rows ORDER BY ALL");
    expect(removed).toEqual([
      { school_id: 'north', change: 'corrected', event: 'E2' },
      { school_id: 'north', change: 'removed', event: 'E3' },
    ]);
  });

  it('loads a week with no suspension at one school and no BSC placement at either in the batch, as each file alone: nothing stored or removed', async () => {
    const SUSPENSIONS = lines('suspensions.csv');
    const BSC = lines('bsc.csv');
    const week = folder({
      north: { ...WEEK.north, 'suspensions.csv': [SUSPENSIONS[0]], 'bsc.csv': [BSC[0]] },
      south: { ...WEEK.south, 'suspensions.csv': [SUSPENSIONS[0], 'S2,B,2025-09-22,1,suspension,VA'], 'bsc.csv': [BSC[0]] },
    });
    const counted = countReads(together);
    const batched = await ingest(together.connection, [week]);
    // Four types, each one read of the two schools' files, the empty ones too.
    expect(counted.reads).toHaveLength(4);
    expect(counted.reads.every((sql) => sql.includes('file_index'))).toBe(true);
    const north = await ingest(apart.connection, [path.join(week, 'north')]);
    const south = await ingest(apart.connection, [path.join(week, 'south')]);
    expect(filesOf(batched)).toEqual([...filesOf(north), ...filesOf(south)]);
    expect(await contentOf(together, [batched.importId])).toEqual(await contentOf(apart, [north.importId, south.importId]));
    const byFile = Object.fromEntries(batched.files.map((f) => [`${f.schoolId}/${f.recordType}`, f]));
    const none = (schoolId: string) => [{ schoolId, from: null, to: null, full: false, held: 0, removed: 0 }];
    expect(byFile['north/suspensions']).toMatchObject({ rowsRead: 0, rowsLoaded: 0, rowsNew: 0, rowsRemoved: 0, windows: none('north') });
    expect(byFile['south/suspensions']).toMatchObject({ rowsRead: 1, rowsNew: 1, rowsRemoved: 0 });
    expect(byFile['south/bsc']).toMatchObject({ rowsRead: 0, rowsRemoved: 0, windows: none('south') });
    // The tiny school's suspension and placement are still held at both schools.
    const held = await queryRows(together.connection, 'SELECT school_id, count(*)::INTEGER AS n FROM raw.suspensions GROUP BY ALL ORDER BY ALL');
    expect(held).toEqual([{ school_id: 'north', n: 1 }, { school_id: 'south', n: 2 }]);
  });

  it('loads an empty file alone when a window is given to it (it may remove what it covers)', async () => {
    const BSC = lines('bsc.csv');
    const week = folder({ north: { ...WEEK.north, 'bsc.csv': [BSC[0]] }, south: { ...WEEK.south, 'bsc.csv': BSC } });
    const covers = { windows: { bsc: { kind: 'declared' as const, from: '2025-09-01', to: '2025-09-30' } }, allowRemovals: true };
    const counted = countReads(together);
    const batched = await ingest(together.connection, [week], covers);
    // The BSC files tried as a batch, which gave way, then read each alone.
    expect(counted.reads.filter((sql) => sql.includes('bsc.csv') && !sql.includes('file_index'))).toHaveLength(2);
    const north = await ingest(apart.connection, [path.join(week, 'north')], covers);
    const south = await ingest(apart.connection, [path.join(week, 'south')], covers);
    expect(filesOf(batched)).toEqual([...filesOf(north), ...filesOf(south)]);
    expect(await contentOf(together, [batched.importId])).toEqual(await contentOf(apart, [north.importId, south.importId]));
    // North's September held R1, which its empty file, covering September, removed.
    expect(batched.files.find((f) => f.schoolId === 'north' && f.recordType === 'bsc')).toMatchObject({ rowsRead: 0, rowsRemoved: 1 });
  });

  it('loads a type file by file when one of its files has a rejected row, which is reported at its file, line and column', async () => {
    const week = folder({ ...WEEK, south: { ...WEEK.south, 'behaviour.csv': [BEHAVIOUR[0], EVENT.E1, EVENT.E3.replace('2025-09-11', '31/02/2025'), ...BEHAVIOUR.slice(3)] } });
    const batched = await ingest(together.connection, [week]);
    const north = await ingest(apart.connection, [path.join(week, 'north')]);
    const south = await ingest(apart.connection, [path.join(week, 'south')]);
    expect(filesOf(batched)).toEqual([...filesOf(north), ...filesOf(south)]);
    const bad = batched.files.find((f) => f.schoolId === 'south' && f.recordType === 'behaviour');
    expect(bad?.rowsRejected).toBe(1);
    expect(bad?.rejects).toEqual([expect.objectContaining({ line: 3, column: 'date', value: '31/02/2025' })]);
    expect(await contentOf(together, [batched.importId])).toEqual(await contentOf(apart, [north.importId, south.importId]));
  });

  it('stops the import, naming the school and file, when one file of a batch would remove too much, and changes nothing', async () => {
    const before = await rawSnapshot(together.connection);
    const week = folder({ ...WEEK, south: { ...WEEK.south, 'behaviour.csv': [BEHAVIOUR[0], EVENT.E1, EVENT.E6] } });
    const failure = await ingest(together.connection, [week]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemovalGuardError);
    expect((failure as Error).message).toMatch(/^south\/behaviour\.csv would remove 4 of the 6 behaviour rows/);
    expect(await rawSnapshot(together.connection)).toEqual(before);
  });
});

describe('a batch reads vendor layouts, encodings and delimiters as each file alone would', () => {
  // Each fixture school twice (north, south), imported, then the same exports imported again
  // (nothing new: a batch of unchanged rows where the files are clean), together and apart.
  it.each([
    'profiles/sims-attendance',
    'profiles/sims-behaviour',
    'profiles/bromcom-attendance',
    'profiles/arbor-bi-attendance',
    'profiles/classcharts-detentions',
    'formats/cp1252',
    'formats/semicolon',
    'formats/tab',
    'formats/utf8-bom-crlf',
  ])('%s', async (from) => {
    const first = firstExport(from);
    const together = await openTempWarehouse();
    const apart = await openTempWarehouse();
    try {
      await ingest(together.connection, [first]);
      await ingest(apart.connection, [first]);
      const counted = countReads(together);
      const batched = await ingest(together.connection, [first]);
      // At least one type was read as a batch (where a file has a reject, its type then loads file by file).
      expect(counted.reads.some((sql) => sql.includes('file_index'))).toBe(true);
      const north = await ingest(apart.connection, [path.join(first, 'north')]);
      const south = await ingest(apart.connection, [path.join(first, 'south')]);
      expect(filesOf(batched)).toEqual([...filesOf(north), ...filesOf(south)]);
      expect(await contentOf(together, [batched.importId])).toEqual(await contentOf(apart, [north.importId, south.importId]));
      expect(batched.files.every((f) => f.rowsNew === 0 && f.rowsChanged === 0 && f.rowsRemoved === 0)).toBe(true);
    } finally {
      together.close();
      apart.close();
    }
  });
});
