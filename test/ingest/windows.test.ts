import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { RemovalGuardError } from '../../data-loaders/load-file.ts';
import { parseCovers } from '../../data-loaders/windows.ts';
import { windowRules } from '../../src/cli/commands/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

/**
 * The tiny school's behaviour.csv holds six events (E1 and E5 on 9 Sep, E3 on 11 Sep, E4 on
 * 16 Sep, E2 on 17 Sep, E6 on 19 Sep). Each test loads the whole tiny school, then a later
 * export of behaviour (and sometimes more) written here, and counts by hand what it removes.
 */
const BEHAVIOUR = readFileSync(fixture('tiny-school', 'behaviour.csv'), 'utf-8').trimEnd().split('\n');
const HEADER = BEHAVIOUR[0];
const EVENT = Object.fromEntries(BEHAVIOUR.slice(1).map((line) => [line.split(',')[0], line]));
const OCTOBER = [
  'E7,A,2025-10-06,10:00,P2,negative,Disruption,-1,1,Maths,Classroom,ABC,,',
  'E8,B,2025-10-08,11:00,P3,positive,Effort,2,,English,Classroom,DEF,,',
];

/** A later export of the tiny school (same folder name, so the same school) holding only `files`. */
function laterExport(files: Record<string, string[]>): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-window-')), 'tiny-school');
  mkdirSync(dir);
  for (const [name, lines] of Object.entries(files)) writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  return dir;
}
const behaviourOf = (...ids: string[]) => [HEADER, ...ids.map((id) => EVENT[id])];

describe('windows and removals: rows the MIS deleted leave the warehouse', () => {
  let warehouse: Warehouse;
  const rows = (sql: string) => queryRows(warehouse.connection, sql);
  const events = async () => (await rows("SELECT event_id FROM raw.behaviour WHERE school_id = 'tiny-school' ORDER BY event_id")).map((r) => r.event_id);
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    await ingest(warehouse.connection, [fixture('tiny-school')]);
  });
  afterEach(() => warehouse.close());

  it('removes a row deleted inside the window, reports it beside new / changed / unchanged, and keeps it in raw.removed_rows', async () => {
    // E3 (11 Sep) was deleted in the MIS; the export still runs 9–19 Sep.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E1', 'E5', 'E4', 'E2', 'E6') })]);
    const [file] = report.files;
    expect([file.rowsRead, file.rowsLoaded, file.rowsRejected]).toEqual([5, 5, 0]);
    expect(file.rowsRead).toBe(file.rowsLoaded + file.rowsRejected);
    expect([file.rowsNew, file.rowsChanged, file.rowsUnchanged, file.rowsRemoved]).toEqual([0, 0, 5, 1]);
    expect(file.windows).toEqual([{ schoolId: 'tiny-school', from: '2025-09-09', to: '2025-09-19', full: false, held: 6, removed: 1 }]);
    expect(await events()).toEqual(['E1', 'E2', 'E4', 'E5', 'E6']);

    const audit = await rows('SELECT import_id, record_type, school_id, "key"::VARCHAR AS k, "row"::VARCHAR AS r, change FROM raw.removed_rows');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ import_id: report.importId, record_type: 'behaviour', school_id: 'tiny-school', change: 'removed' });
    expect(JSON.parse(audit[0].k as string)).toEqual({ event_id: 'E3', student_id: 'B' });
    expect(JSON.parse(audit[0].r as string)).toMatchObject({ event_id: 'E3', student_id: 'B', date: '2025-09-11', category: 'Effort', points: 2 });

    const [log] = await rows(
      `SELECT rows_new, rows_changed, rows_unchanged, rows_removed, strftime(window_from, '%Y-%m-%d') AS f, strftime(window_to, '%Y-%m-%d') AS t, window_kind
       FROM raw.import_log WHERE import_id = '${report.importId}'`,
    );
    expect(log).toEqual({ rows_new: 0, rows_changed: 0, rows_unchanged: 5, rows_removed: 1, f: '2025-09-09', t: '2025-09-19', window_kind: 'rows' });
  });

  it('undoes a removal when the older export is imported again', async () => {
    await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E1', 'E5', 'E4', 'E2', 'E6') })]);
    const again = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': BEHAVIOUR })]);
    expect([again.files[0].rowsNew, again.files[0].rowsRemoved]).toEqual([1, 0]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });

  it('an overlapping export (last month + this month): the overlap is unchanged, the new month new, a deletion in the overlap removed', async () => {
    const both = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [...BEHAVIOUR, ...OCTOBER] })]);
    expect([both.files[0].rowsNew, both.files[0].rowsChanged, both.files[0].rowsUnchanged, both.files[0].rowsRemoved]).toEqual([2, 0, 6, 0]);
    expect(both.files[0].windows[0]).toMatchObject({ from: '2025-09-09', to: '2025-10-08', held: 6 });

    // The next export again spans September and October; E4 (16 Sep) has gone from the MIS.
    const next = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [...behaviourOf('E1', 'E5', 'E3', 'E2', 'E6'), ...OCTOBER] })]);
    expect([next.files[0].rowsNew, next.files[0].rowsChanged, next.files[0].rowsUnchanged, next.files[0].rowsRemoved]).toEqual([0, 0, 7, 1]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E5', 'E6', 'E7', 'E8']);
  });

  it('a smaller window never deletes outside itself', async () => {
    // This month only (16–19 Sep): the 9 and 11 Sep events are outside its window and stay.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E4', 'E2', 'E6') })]);
    expect(report.files[0].windows[0]).toMatchObject({ from: '2025-09-16', to: '2025-09-19', held: 3, removed: 0 });
    expect([report.files[0].rowsUnchanged, report.files[0].rowsRemoved]).toEqual([3, 0]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);

    // October only: nothing of September is touched, whatever the October file lacks.
    const october = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [HEADER, ...OCTOBER] })]);
    expect([october.files[0].rowsNew, october.files[0].rowsRemoved]).toEqual([2, 0]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8']);
  });

  it('a declared window (--covers) reaches past the rows: a deletion at its edge is removed', async () => {
    // The file's rows run 9–17 Sep, but it was exported for the whole month: E6 (19 Sep) was deleted.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E1', 'E5', 'E3', 'E4', 'E2') })], {
      windows: { behaviour: { kind: 'declared', from: '2025-09-01', to: '2025-09-30' } },
    });
    expect(report.files[0].windows[0]).toMatchObject({ from: '2025-09-01', to: '2025-09-30', held: 6, removed: 1 });
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    const [log] = await rows(`SELECT window_kind FROM raw.import_log WHERE import_id = '${report.importId}'`);
    expect(log.window_kind).toBe('declared');
  });

  it('a full snapshot (--full) removes whatever the school has of that type and the file lacks, of any date', async () => {
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [HEADER, ...OCTOBER, EVENT.E1, EVENT.E2, EVENT.E3, EVENT.E4, EVENT.E5] })], {
      windows: { '*': { kind: 'full' } },
    });
    expect(report.files[0].windows[0]).toMatchObject({ full: true, from: null, to: null, held: 6, removed: 1 });
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E7', 'E8']);
  });

  it('the guard: a file that would remove more than 20% of its window stops the import and changes nothing, unless removals are allowed', async () => {
    const before = await rawSnapshot(warehouse.connection);
    const log = await rows('SELECT * FROM raw.import_log ORDER BY ALL');
    // A filtered export: only two of the six events of 9–19 Sep, with a new detention beside it.
    const dir = laterExport({
      'behaviour.csv': behaviourOf('E1', 'E6'),
      'detentions.csv': [readFileSync(fixture('tiny-school', 'detentions.csv'), 'utf-8').trimEnd(), 'D4,A,2025-09-19,break,15,Homework,ABC,,pending'],
    });
    const attempt = ingest(warehouse.connection, [dir]);
    await expect(attempt).rejects.toBeInstanceOf(RemovalGuardError);
    await expect(attempt).rejects.toThrow(
      'tiny-school/behaviour.csv would remove 4 of the 6 behaviour rows dated 2025-09-09..2025-09-19 (67%, more than 20%): is the export cut short or filtered? Nothing was imported; if the export is right, import it with --allow-removals',
    );
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    expect(await rows('SELECT * FROM raw.import_log ORDER BY ALL')).toEqual(log);

    // One of six (17%) is under the limit; a lower limit stops it too.
    await expect(ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E1', 'E5', 'E4', 'E2', 'E6') })], { removalLimit: 0.1 })).rejects.toThrow(
      'would remove 1 of the 6 behaviour rows dated 2025-09-09..2025-09-19 (17%, more than 10%)',
    );
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);

    const allowed = await ingest(warehouse.connection, [dir], { allowRemovals: true });
    expect(allowed.files.map((f) => [f.fileName, f.rowsNew, f.rowsRemoved])).toEqual([
      ['behaviour.csv', 0, 4],
      ['detentions.csv', 1, 0],
    ]);
    expect(await events()).toEqual(['E1', 'E6']);
    expect((await rows("SELECT count(*)::INTEGER AS n FROM raw.removed_rows WHERE change = 'removed'"))[0].n).toBe(4);
  });

  it('a row the export still has but rejects this time is not removed', async () => {
    // E3's severity is out of range: rejected, but the MIS still has it.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [...behaviourOf('E1', 'E5', 'E4', 'E2', 'E6'), EVENT.E3.replace('Effort,2,,', 'Effort,2,9,')] })]);
    const [file] = report.files;
    expect([file.rowsRead, file.rowsLoaded, file.rowsRejected, file.rowsRemoved]).toEqual([6, 5, 1, 0]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });

  it('a row the export still has but the reader cannot split (a comma too many) is not removed: that file removes nothing, and says so', async () => {
    // E3's comment holds an unquoted comma: the record has a field too many, and its key cannot be trusted.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [...behaviourOf('E1', 'E5', 'E4', 'E2', 'E6'), `${EVENT.E3}well done, again`] })]);
    const [file] = report.files;
    expect([file.rowsRead, file.rowsLoaded, file.rowsRejected, file.rowsRemoved]).toEqual([6, 5, 1, 0]);
    expect(file.rejects.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([[7, 'row cannot be split into 14 columns']]);
    expect(file.warnings).toContain('1 row could not be read (see the rejects): nothing was removed, as it may be a row the warehouse holds');
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });

  it('the same export twice changes nothing and removes nothing', async () => {
    const before = await rawSnapshot(warehouse.connection);
    const again = await ingest(warehouse.connection, [fixture('tiny-school')]);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    for (const f of again.files) expect([f.rowsNew, f.rowsChanged, f.rowsRemoved]).toEqual([0, 0, 0]);
    expect((await rows('SELECT count(*)::INTEGER AS n FROM raw.removed_rows'))[0].n).toBe(0);
  });

  it('pupils are never removed by absence; a leaver gets a leaving date when the MIS gives one', async () => {
    const students = readFileSync(fixture('tiny-school', 'students.csv'), 'utf-8').trimEnd().split('\n');
    // D has left (the MIS now gives a leaving date); E no longer appears in the export at all.
    const later = [students[0], ...students.slice(1, 4), students[4].replace(/,$/, ',24/10/2025')];
    const report = await ingest(warehouse.connection, [laterExport({ 'students.csv': later })]);
    expect([report.files[0].rowsChanged, report.files[0].rowsUnchanged, report.files[0].rowsRemoved]).toEqual([1, 3, 0]);
    expect(report.files[0].windows).toEqual([]);
    expect(await rows("SELECT student_id, strftime(leaving_date, '%Y-%m-%d') AS left_on FROM raw.students ORDER BY student_id")).toEqual([
      { student_id: 'A', left_on: null },
      { student_id: 'B', left_on: null },
      { student_id: 'C', left_on: null },
      { student_id: 'D', left_on: '2025-10-24' },
      { student_id: 'E', left_on: '2025-09-10' },
    ]);
    // The corrected pupil's earlier row is kept in the audit table.
    expect(await rows("SELECT change, \"key\"->>'student_id' AS id FROM raw.removed_rows")).toEqual([{ change: 'corrected', id: 'D' }]);
  });

  it('each school of a trust has its own window', async () => {
    // The trust fixture's schools are loaded beside the tiny school: a tiny-school export never touches them.
    await ingest(warehouse.connection, [fixture('trust')]);
    const others = await rows("SELECT school_id, count(*)::INTEGER AS n FROM raw.behaviour WHERE school_id <> 'tiny-school' GROUP BY ALL ORDER BY ALL");
    await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': behaviourOf('E1', 'E5', 'E4', 'E2', 'E6') })], { windows: { '*': { kind: 'full' } } });
    expect(await rows("SELECT school_id, count(*)::INTEGER AS n FROM raw.behaviour WHERE school_id <> 'tiny-school' GROUP BY ALL ORDER BY ALL")).toEqual(others);
    expect(others.length).toBeGreaterThan(0);
    expect(await events()).toEqual(['E1', 'E2', 'E4', 'E5', 'E6']);
  });

  it('a date-time window (contacts) runs from the first day at midnight to the end of the last day, to the second', async () => {
    const header = 'contact_id,student_id,date,method,reason,staff,outcome';
    const held = ['C0,A,2025-09-08 23:59:59,phone,Praise,ABC,ok', 'C1,A,2025-09-09 00:00:00,phone,Praise,ABC,ok', 'C2,B,2025-09-10 23:59:59,email,Behaviour,ABC,ok', 'C3,B,2025-09-11 00:00:00,phone,Behaviour,ABC,ok'];
    await ingest(warehouse.connection, [laterExport({ 'contacts.csv': [header, ...held] })]);
    // The next export runs 9–10 Sep (C1, and a new C4): C2, on the last day, was deleted in the MIS;
    // C0 (a second before the window) and C3 (the midnight after it) are outside it and stay.
    const next = await ingest(warehouse.connection, [laterExport({ 'contacts.csv': [header, held[1], 'C4,A,2025-09-10 08:00:00,phone,Praise,ABC,ok'] })], { allowRemovals: true });
    expect(next.files[0].windows).toEqual([{ schoolId: 'tiny-school', from: '2025-09-09', to: '2025-09-10', full: false, held: 2, removed: 1 }]);
    expect([next.files[0].rowsNew, next.files[0].rowsUnchanged, next.files[0].rowsRemoved]).toEqual([1, 1, 1]);
    expect((await rows("SELECT contact_id FROM raw.contacts WHERE school_id = 'tiny-school' ORDER BY contact_id")).map((r) => r.contact_id)).toEqual(['C0', 'C1', 'C3', 'C4']);
  });

  it('a window with no good rows holds nothing: a file whose rows all fail removes nothing', async () => {
    // Both rows name a pupil students.csv lacks: rejected, so the file's window has no first or last day.
    const report = await ingest(warehouse.connection, [laterExport({ 'behaviour.csv': [HEADER, EVENT.E1.replace(',A,', ',Z,'), EVENT.E2.replace(',A,', ',Z,')] })]);
    expect([report.files[0].rowsLoaded, report.files[0].rowsRejected, report.files[0].rowsRemoved]).toEqual([0, 2, 0]);
    expect(report.files[0].windows).toEqual([{ schoolId: 'tiny-school', from: null, to: null, full: false, held: 0, removed: 0 }]);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });

  it('the school day (periods.csv) is a full snapshot: a period the new file no longer lists is removed, and the guard does not hold a shorter day', async () => {
    const day = ['period,start_time,end_time', 'P1,08:50,09:50', 'P2,09:50,10:50', 'Lunch,12:30,13:15'];
    const first = await ingest(warehouse.connection, [laterExport({ 'periods.csv': day })]);
    expect([first.files[0].rowsNew, first.files[0].rowsRemoved]).toEqual([3, 0]);
    // The school drops P2 from its day: 1 of 3 periods (33%, above the 20% guard) goes.
    const next = await ingest(warehouse.connection, [laterExport({ 'periods.csv': [day[0], day[1], day[3]] })]);
    expect([next.files[0].rowsNew, next.files[0].rowsUnchanged, next.files[0].rowsRemoved]).toEqual([0, 2, 1]);
    expect(next.files[0].windows).toEqual([{ schoolId: 'tiny-school', from: null, to: null, full: true, held: 3, removed: 1 }]);
    expect((await rows("SELECT period FROM raw.periods WHERE school_id = 'tiny-school' ORDER BY period")).map((r) => r.period)).toEqual(['Lunch', 'P1']);
    expect(await events()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
  });
});

describe('--covers and --full', () => {
  it('reads FROM..TO, per record type or for all, and refuses anything else as a usage error', () => {
    expect(parseCovers('2025-09-01..2026-07-22')).toEqual({ kind: 'declared', from: '2025-09-01', to: '2026-07-22' });
    expect(parseCovers('2025-09-31..2026-07-22')).toEqual({ error: '--covers: "2025-09-31" is not a date (use 2025-09-01)' });
    expect(parseCovers('2026-07-22..2025-09-01')).toEqual({ error: '--covers: 2026-07-22 is after 2025-09-01' });
    expect(parseCovers('September')).toEqual({ error: '--covers must look like 2025-09-01..2026-07-22, got "September"' });
    expect(windowRules({ covers: ['behaviour=2025-09-01..2025-12-19', '2025-09-01..2026-07-22'] })).toEqual({
      behaviour: { kind: 'declared', from: '2025-09-01', to: '2025-12-19' },
      '*': { kind: 'declared', from: '2025-09-01', to: '2026-07-22' },
    });
    expect(windowRules({ full: true })).toEqual({ '*': { kind: 'full' } });
    expect(() => windowRules({ covers: ['students=2025-09-01..2026-07-22'] })).toThrow('students have no window');
    expect(() => windowRules({ covers: ['behavior=2025-09-01..2026-07-22'] })).toThrow('unknown record type "behavior"');
    const exitCodeOf = (covers: string[]) => {
      try {
        windowRules({ covers });
        return 0;
      } catch (error) {
        return (error as { exitCode: number }).exitCode;
      }
    };
    expect([exitCodeOf(['x']), exitCodeOf(['students=2025-09-01..2026-07-22']), exitCodeOf(['2025-09-01..2025-09-02', '2025-09-01..2025-09-03'])]).toEqual([2, 2, 2]);
  });
});
