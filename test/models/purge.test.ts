/**
 * `pastoral purge --left-before DATE`: every record of the pupils who left before the date goes,
 * in one transaction; everyone else's stays. Two hand-made schools whose pupils share an id
 * (P1), so the purge must be per school.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { purgeCmd } from '../../src/cli/commands/purge.ts';
import { CliError } from '../../src/cli/errors.ts';
import { runModels } from '../../src/models/run-models.ts';
import { parseIsoDate, purgeLeavers } from '../../src/models/purge.ts';
import { openWarehouse, queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { registers, weekdays, writeSchool } from '../helpers/school-builder.ts';
import { rawSnapshot, tempDbPath } from '../helpers/warehouse.ts';

const calendar = [
  { academic_year: '2023/24', term: 'Autumn', half_term: 1, start_date: '2023-09-04', end_date: '2023-12-15' },
  { academic_year: '2023/24', term: 'Spring', half_term: 3, start_date: '2024-01-08', end_date: '2024-03-28' },
  { academic_year: '2023/24', term: 'Summer', half_term: 5, start_date: '2024-04-15', end_date: '2024-07-19' },
  { academic_year: '2024/25', term: 'Autumn', half_term: 1, start_date: '2024-09-02', end_date: '2024-12-20' },
];
const pupil = (student_id: string, first_name: string, extra: Record<string, string> = {}) => ({
  student_id, upn: `UPN${student_id}${first_name}`, first_name, last_name: 'Test', year_group: '9', form: '9R', gender: 'F', sen: 'N', fsm: 'N',
  admission_date: '2020-09-01', leaving_date: '', academic_year: '', ...extra,
});

/** School A: P1 left 2024-07-19 (purged), P2 on roll, P3 left after the cut-off, P4 left and came back. School B: its own P1 on roll, P5 left 2023-12-15 (purged). */
function writeExports(): { first: string; a: string; b: string } {
  const a = writeSchool({
    students: [
      pupil('P1', 'Ada', { leaving_date: '2024-07-19' }),
      pupil('P2', 'Bea'),
      pupil('P3', 'Cal', { leaving_date: '2025-03-01' }),
      pupil('P4', 'Dee', { academic_year: '2023/24', year_group: '8', leaving_date: '2024-07-19' }),
      pupil('P4', 'Dee', { academic_year: '2024/25', year_group: '9' }),
    ],
    calendar,
    behaviour: [
      { event_id: 'E1', student_id: 'P1', date: '2023-10-02', polarity: 'negative', category: 'Disruption', comment: 'Ada shouted' },
      { event_id: 'E2', student_id: 'P1', date: '2024-02-05', polarity: 'negative', category: 'Defiance' },
      { event_id: 'E3', student_id: 'P2', date: '2024-02-05', polarity: 'negative', category: 'Defiance' },
      { event_id: 'E4', student_id: 'P4', date: '2024-10-07', polarity: 'negative', category: 'Defiance' },
    ],
    // Attendance marks make the school days (int_school_days), so every event falls in one.
    attendance: [
      ...registers(['P1'], weekdays('2023-10-02', '2023-10-03')),
      ...registers(['P2'], ['2023-10-02', '2023-10-03', '2024-02-05', '2024-10-07']),
      ...registers(['P4'], ['2024-10-07']),
    ],
    contacts: [{ contact_id: 'C1', student_id: 'P1', date: '2023-10-02 09:00', method: 'Phone', reason: 'Behaviour', staff: 'ABC', outcome: 'Spoke to mum' }],
  }, 'A');
  const b = writeSchool({
    students: [pupil('P1', 'Eve'), pupil('P5', 'Fay', { leaving_date: '2023-12-15' })],
    calendar,
    behaviour: [
      { event_id: 'E1', student_id: 'P1', date: '2023-10-02', polarity: 'negative', category: 'Disruption' },
      { event_id: 'E2', student_id: 'P5', date: '2023-10-02', polarity: 'negative', category: 'Disruption' },
    ],
    attendance: [...registers(['P1'], ['2023-10-02', '2024-10-07']), ...registers(['P5'], ['2023-10-02'])],
  }, 'B');
  // An earlier export of school A's behaviour alone, before its pupils were imported: its row
  // for P1 was rejected as an unknown pupil, and the reject holds P1's id.
  const first = path.join(path.dirname(a), 'first', 'A');
  mkdirSync(first, { recursive: true });
  writeFileSync(path.join(first, 'behaviour.csv'), 'event_id,student_id,date,category\nE0,P1,2023-09-20,Lateness\n');
  return { first: path.dirname(first), a, b };
}

let warehouse: Warehouse | undefined;
afterEach(() => {
  warehouse?.close();
  warehouse = undefined;
});

async function loadedWarehouse(db = tempDbPath()): Promise<Warehouse> {
  const { first, a, b } = writeExports();
  const w = await openWarehouse(db);
  const early = await ingest(w.connection, [first]);
  expect(early.files[0].rowsRejected).toBe(1);
  const report = await ingest(w.connection, [a, b]);
  expect(report.files.flatMap((f) => f.rejects)).toEqual([]);
  const models = await runModels(w.connection, { settings: { repeatReferralWindowDays: 15 } });
  expect(models.failures).toEqual([]);
  return w;
}

const pupilsIn = async (w: Warehouse, table: string) =>
  (await queryRows<{ p: string }>(w.connection, `SELECT DISTINCT school_id || '/' || student_id AS p FROM ${table} ORDER BY p`)).map((r) => r.p);

describe('purgeLeavers', () => {
  it('removes every raw record of the pupils whose latest row left before the date, per school, and reports per table', async () => {
    warehouse = await loadedWarehouse();
    const importLog = await queryRows(warehouse.connection, 'SELECT * FROM raw.import_log ORDER BY ALL');
    const report = await purgeLeavers(warehouse.connection, '2025-01-01');
    expect(report.committed).toBe(true);
    expect(report.pupils).toBe(2); // A/P1 and B/P5; not P3 (left 2025-03-01), not P4 (came back in 2024/25)
    const rows = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
    expect(rows).toEqual({
      'raw.students': 2,
      'raw.attendance': 6, // A/P1: two days × AM, PM; B/P5: one day
      'raw.behaviour': 3, // A: E1, E2; B: E2
      'raw.bsc': 0,
      'raw.contacts': 1,
      'raw.detentions': 0,
      'raw.interventions': 0,
      'raw.suspensions': 0,
      'raw.rejects': 1, // the early export's row naming P1
      'raw.removed_rows': 0, // no import removed or corrected anything here (see the next test)
    });
    expect(report.tables[0].table).toBe('raw.students');
    expect(await pupilsIn(warehouse, 'raw.students')).toEqual(['A/P2', 'A/P3', 'A/P4', 'B/P1']);
    expect(await pupilsIn(warehouse, 'raw.behaviour')).toEqual(['A/P2', 'A/P4', 'B/P1']);
    expect(await pupilsIn(warehouse, 'raw.attendance')).toEqual(['A/P2', 'A/P4', 'B/P1']);
    expect(await pupilsIn(warehouse, 'raw.contacts')).toEqual([]);
    expect(await queryRows(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.students WHERE student_id = \'P4\'')).toEqual([{ n: 2 }]);
    expect(await queryRows(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.rejects')).toEqual([{ n: 0 }]);
    // The import log is the files' history (names, hashes, counts): kept as it was.
    expect(await queryRows(warehouse.connection, 'SELECT * FROM raw.import_log ORDER BY ALL')).toEqual(importLog);
    // The purge is logged with counts only.
    const log = await queryRows<{ left_before: string; table_name: string; rows_removed: number }>(
      warehouse.connection,
      "SELECT strftime(left_before, '%Y-%m-%d') AS left_before, table_name, rows_removed FROM raw.purge_log ORDER BY table_name",
    );
    expect(log.map((l) => [l.table_name, l.rows_removed])).toEqual(Object.entries(rows).sort(([x], [y]) => x.localeCompare(y)));
    expect(new Set(log.map((l) => l.left_before))).toEqual(new Set(['2025-01-01']));
  });

  it('removes the leavers’ old rows from the audit of removed and corrected rows, and keeps everyone else’s', async () => {
    warehouse = await loadedWarehouse();
    // A later export of school A's behaviour lacks E2 (P1) and E3 (P2): both are removed into the audit.
    const later = path.join(tempDbPath() + '-exports', 'A');
    mkdirSync(later, { recursive: true });
    writeFileSync(path.join(later, 'behaviour.csv'), 'event_id,student_id,date,polarity,category\nE1,P1,2023-10-02,negative,Disruption\nE4,P4,2024-10-07,negative,Defiance\n');
    const report = await ingest(warehouse.connection, [later], { allowRemovals: true });
    expect(report.files[0].rowsRemoved).toBe(2);
    const audited = async () =>
      (await queryRows<{ p: string }>(warehouse!.connection, `SELECT DISTINCT school_id || '/' || json_extract_string("row", '$.student_id') AS p FROM raw.removed_rows ORDER BY p`)).map((r) => r.p);
    expect(await audited()).toContain('A/P1');
    expect(await audited()).toContain('A/P2');
    const [{ n: p1Rows }] = await queryRows<{ n: number }>(warehouse.connection, `SELECT count(*)::INTEGER AS n FROM raw.removed_rows WHERE school_id = 'A' AND json_extract_string("row", '$.student_id') = 'P1'`);
    const purge = await purgeLeavers(warehouse.connection, '2025-01-01');
    expect(purge.tables.find((t) => t.table === 'raw.removed_rows')?.rows).toBe(p1Rows);
    expect(await audited()).not.toContain('A/P1');
    expect(await audited()).toContain('A/P2');
  });

  it('drops the model tables (they held copies), and the rebuilt marts no longer know the pupils', async () => {
    warehouse = await loadedWarehouse();
    expect(await pupilsIn(warehouse, 'mart_pupil_directory')).toContain('A/P1');
    const report = await purgeLeavers(warehouse.connection, '2025-01-01');
    expect(report.modelsDropped).toContain('mart_pupil_directory');
    expect(report.modelsDropped).toContain('stg_contacts'); // a staging table that copied P1's contact
    // Views (stg_students and other pass-through staging) hold no copy: they read raw.* as it now is.
    expect(report.modelsDropped).not.toContain('stg_students');
    const left = await queryRows(warehouse.connection, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND (table_name LIKE 'mart_%' OR table_name LIKE 'stg_%' OR table_name LIKE 'int_%')");
    expect(left).toEqual([]);
    expect((await runModels(warehouse.connection)).failures).toEqual([]);
    const directory = await pupilsIn(warehouse, 'mart_pupil_directory');
    expect(directory).not.toContain('A/P1');
    expect(directory).not.toContain('B/P5');
    expect(directory).toContain('B/P1');
  });

  it('a dry run reports the same counts and changes nothing', async () => {
    warehouse = await loadedWarehouse();
    const before = await rawSnapshot(warehouse.connection);
    const report = await purgeLeavers(warehouse.connection, '2025-01-01', { dryRun: true });
    expect(report.committed).toBe(false);
    expect(report.pupils).toBe(2);
    expect(report.tables.find((t) => t.table === 'raw.behaviour')?.rows).toBe(3);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    expect(await pupilsIn(warehouse, 'mart_pupil_directory')).toContain('A/P1');
  });

  it('is one transaction: a failure before the commit leaves every table as it was', async () => {
    warehouse = await loadedWarehouse();
    const before = await rawSnapshot(warehouse.connection);
    const rejects = await queryRows(warehouse.connection, 'SELECT * FROM raw.rejects ORDER BY ALL');
    await expect(
      purgeLeavers(warehouse.connection, '2025-01-01', {
        beforeCommit: () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    expect(await queryRows(warehouse.connection, 'SELECT * FROM raw.rejects ORDER BY ALL')).toEqual(rejects);
    expect(await pupilsIn(warehouse, 'mart_pupil_directory')).toContain('A/P1');
  });

  it('removes nobody when nobody left before the date', async () => {
    warehouse = await loadedWarehouse();
    const before = await rawSnapshot(warehouse.connection);
    const report = await purgeLeavers(warehouse.connection, '2023-12-15'); // B/P5 left on that day: not before it
    expect(report.pupils).toBe(0);
    expect(report.tables.every((t) => t.rows === 0)).toBe(true);
    const { purge_log: _log, ...after } = await rawSnapshot(warehouse.connection);
    expect(after).toEqual(before);
  });

  it('refuses a date that is not YYYY-MM-DD or does not exist', async () => {
    expect(parseIsoDate('2025-02-29')).toBeNull();
    expect(parseIsoDate('01/09/2025')).toBeNull();
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    warehouse = await loadedWarehouse();
    await expect(purgeLeavers(warehouse.connection, '31/08/2024')).rejects.toThrow('YYYY-MM-DD');
  });
});

describe('pastoral purge', () => {
  it('purges, prints each table, and rebuilds the models with the stored settings', async () => {
    const db = tempDbPath();
    (await loadedWarehouse(db)).close();
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await purgeCmd.run(['--left-before', '2025-01-01', '--db', db]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toContain('Removed 2 pupils who left before 2025-01-01:');
    expect(text).toMatch(/raw\.behaviour\s+3 rows/);
    expect(text).toMatch(/raw\.rejects\s+1 rows/);
    expect(text).toContain('Models rebuilt');
    expect(text).toContain('pastoral build');
    warehouse = await openWarehouse(db);
    expect(await queryRows(warehouse.connection, 'SELECT repeat_referral_window_days AS d FROM settings')).toEqual([{ d: 15 }]);
    expect(await pupilsIn(warehouse, 'mart_pupil_directory')).not.toContain('A/P1');
  });

  it('answers a missing or malformed date with a usage error (exit 2)', async () => {
    await expect(purgeCmd.run(['--db', tempDbPath()])).rejects.toMatchObject({ exitCode: 2 });
    const error = await purgeCmd.run(['--left-before', '2025-13-01', '--db', tempDbPath()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
  });
});
