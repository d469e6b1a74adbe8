/**
 * `pastoral compact`: the warehouse rewritten into a fresh file in its place. A warehouse made in
 * DuckDB's old (0.10.2) format moves to the 1.5 format with every table, view and macro as it was,
 * and its models' state too (the next models run builds nothing); a purged pupil's text is gone
 * from the file; a failure leaves the warehouse as it was.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { compactCmd } from '../../src/cli/commands/compact.ts';
import { modelsCmd } from '../../src/cli/commands/models.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { runModels } from '../../src/models/run-models.ts';
import { purgeLeavers } from '../../src/models/purge.ts';
import { compactWarehouse } from '../../src/warehouse/compact.ts';
import { olderFormatHint, storageVersionOf } from '../../src/warehouse/storage-format.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { importAndModel, registers, weekdays, writeSchool } from '../helpers/school-builder.ts';
import { rawSnapshot, tempDbPath } from '../helpers/warehouse.ts';

const calendar = [{ academic_year: '2024/25', term: 'Autumn', half_term: 1, start_date: '2024-09-02', end_date: '2024-12-20' }];
const pupil = (student_id: string, first_name: string, leaving_date = '') => ({
  student_id, upn: `UPN${student_id}`, first_name, last_name: 'Test', year_group: '9', form: '9R', gender: 'F', sen: 'N', fsm: 'N',
  admission_date: '2020-09-01', leaving_date, academic_year: '',
});
const days = weekdays('2024-09-02', '2024-10-11');
const school = () =>
  writeSchool({
    students: [pupil('P1', 'Ada'), pupil('P2', 'Bea'), pupil('P9', 'Zebedee-Quillfeather', '2024-09-20')],
    calendar,
    behaviour: [
      { event_id: 'E1', student_id: 'P1', date: '2024-09-09', polarity: 'negative', category: 'Disruption' },
      { event_id: 'E2', student_id: 'P2', date: '2024-09-16', polarity: 'positive', category: 'Effort' },
      { event_id: 'E3', student_id: 'P9', date: '2024-09-10', polarity: 'negative', category: 'Defiance', comment: 'Zebedee-Quillfeather threw a chair' },
    ],
    attendance: registers(['P1', 'P2'], days),
  }, 'A');

/** Makes `db` as a warehouse made before session 45 was: an empty file in DuckDB's default format, which the pipeline keeps. */
async function oldFormatFile(db: string): Promise<void> {
  const instance = await DuckDBInstance.create(db);
  (await instance.connect()).closeSync();
  instance.closeSync();
}

/** How DuckDB stores low-cardinality text written into `db` now: 'Dictionary' in the 0.10.2 format, 'DICT_FSST' in 1.5. */
async function textFormatOf(db: string): Promise<string[]> {
  const probe = `${db}.probe.duckdb`;
  copyFileSync(db, probe);
  return withWarehouse(probe, async (c) => {
    await c.run("CREATE TABLE probe AS SELECT 'Year ' || (7 + i % 5) AS t FROM range(300000) r(i)");
    await c.run('CHECKPOINT');
    return (await queryRows<{ c: string }>(c, "SELECT DISTINCT compression AS c FROM pragma_storage_info('probe') WHERE segment_type = 'VARCHAR'")).map((r) => r.c);
  });
}

/** What `run` wrote to stdout. */
async function stdoutOf(run: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return written.join('');
}

describe('compactWarehouse', () => {
  it('moves an old-format warehouse to the 1.5 format with every table, view and macro as it was; the next models run builds nothing', async () => {
    const db = tempDbPath();
    await oldFormatFile(db);
    await importAndModel(db, school());
    const before = `${db}.before.duckdb`;
    copyFileSync(db, before);
    expect(await textFormatOf(db)).toEqual(['Dictionary']);

    const report = await compactWarehouse(db);
    expect(report.formatBefore).toBe('v1.0.0+');

    expect(await textFormatOf(db)).toEqual(['DICT_FSST']);
    expect(existsSync(`${db}.compact`)).toBe(false);
    await withWarehouse(db, async (c) => {
      const tables = await queryRows<{ n: number }>(c, 'SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database()');
      expect(report.tables).toBe(tables[0].n);
      // Every model and view of main the same, row for row; every raw table the same.
      expect((await compareWarehouses(c, before)).differences).toEqual([]);
      const raw = await rawSnapshot(c);
      await c.run(`ATTACH '${before}' AS b (READ_ONLY)`);
      const macros = (db: string) => queryRows(c, `SELECT function_name, macro_definition FROM duckdb_functions() WHERE function_type LIKE '%macro%' AND database_name = '${db}' ORDER BY ALL`);
      const macrosBefore = await macros('b');
      expect(macrosBefore.length).toBeGreaterThan(0);
      expect(await macros('test')).toEqual(macrosBefore);
      await c.run('DETACH b');
      expect(raw).toEqual(await withWarehouse(before, rawSnapshot, { readOnly: true }));
      // The models' stored state came along: nothing to rebuild.
      const run = await runModels(c);
      expect(Object.values(run.modes).filter((m) => m === 'full' || m === 'partitions')).toEqual([]);
      expect(run.failures).toEqual([]);
    });
  });

  it('leaves no trace of a purged pupil in the file', async () => {
    const db = tempDbPath();
    await importAndModel(db, school());
    await withWarehouse(db, async (c) => {
      expect((await purgeLeavers(c, '2024-12-31')).pupils).toBe(1);
      await runModels(c);
      await c.run('CHECKPOINT');
    });
    // DuckDB does not overwrite a deleted row's space at once: the name is still in the file.
    const name = Buffer.from('Zebedee-Quillfeather');
    expect(readFileSync(db).includes(name)).toBe(true);
    await compactWarehouse(db);
    expect(readFileSync(db).includes(name)).toBe(false);
    expect(await withWarehouse(db, (c) => queryRows(c, 'SELECT student_id FROM raw.students ORDER BY 1'), { readOnly: true })).toEqual([{ student_id: 'P1' }, { student_id: 'P2' }]);
  });

  it('a failure is an error and leaves the warehouse as it was (a folder where the copy goes)', async () => {
    const db = tempDbPath();
    await importAndModel(db, school());
    mkdirSync(`${db}.compact`);
    writeFileSync(path.join(`${db}.compact`, 'keep.txt'), 'not ours');
    const before = readFileSync(db);
    await expect(compactWarehouse(db)).rejects.toThrow(/\.compact is a folder where the copy is written/);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(readFileSync(path.join(`${db}.compact`, 'keep.txt'), 'utf8')).toBe('not ours');
    expect(await withWarehouse(db, (c) => queryRows(c, 'SELECT count(*)::INTEGER AS n FROM raw.students'), { readOnly: true })).toEqual([{ n: 3 }]);
  });

  it('a missing warehouse is an error, and makes no file', async () => {
    const db = tempDbPath();
    await expect(compactWarehouse(db)).rejects.toThrow(/no warehouse at/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.compact`)).toBe(false);
  });

  it('pastoral compact reports the tables, rows and sizes', async () => {
    const db = tempDbPath();
    await importAndModel(db, school());
    let code: number | undefined;
    const written = await stdoutOf(async () => (code = await compactCmd.run(['--db', db])));
    expect(code).toBe(0);
    expect(written).toMatch(/^Compacted .*test\.duckdb: \d+ tables, [\d,]+ rows, each checked against the original\.\n  [\d.]+ MB → [\d.]+ MB, in DuckDB's v1\.5\.0 storage format \(before: v1\.5\.0\+\)\.\n$/);
  });
});

describe('the storage format', () => {
  it('is read from the file: the old format tagged v1.0.0+, a new warehouse v1.5.0+, none in memory', async () => {
    const old = tempDbPath();
    await oldFormatFile(old);
    expect(await withWarehouse(old, storageVersionOf, { readOnly: true })).toBe('v1.0.0+');
    const current = tempDbPath();
    await withWarehouse(current, async () => undefined);
    expect(await withWarehouse(current, storageVersionOf, { readOnly: true })).toBe('v1.5.0+');
    expect(await withWarehouse(':memory:', storageVersionOf)).toBeNull();
  });

  it('pastoral models names pastoral compact for an old-format warehouse, and says nothing once it is compacted', async () => {
    const db = tempDbPath();
    await oldFormatFile(db);
    await importAndModel(db, school());
    const hint = /older DuckDB storage format \(v1\.0\.0\+\): `npx pastoral compact --db .*test\.duckdb` rewrites it in the v1\.5\.0 format/;
    expect(await stdoutOf(() => modelsCmd.run(['--db', db, '--quiet']))).toMatch(hint);
    await compactWarehouse(db);
    expect(await stdoutOf(() => modelsCmd.run(['--db', db, '--quiet']))).not.toMatch(/storage format/);
    expect(olderFormatHint(null, db)).toBeNull();
  });
});
