import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

/**
 * Times in exports that name their zone (Z = UTC, or an offset) are the school's local time once
 * loaded: UK time is GMT in winter and BST (UTC+1) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. In 2026 those Sundays are 29 March and 25 October.
 * Every expected value below is worked out by hand from that rule.
 */

function school(files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-tz-')), 'school');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openTempWarehouse();
});
afterEach(() => warehouse.close());

describe('times naming a zone become UK local time before they become dates', () => {
  it('canonical behaviour: the date and the statement time, across both 2026 clock changes', async () => {
    const behaviour = [
      'event_id,student_id,date,category,statement_taken_at',
      // 23:30 UTC on 1 June is 00:30 BST on 2 June: the event is on the 2nd.
      'E1,P1,2026-06-01T23:30:00Z,Praise,2026-06-01T23:30:00Z',
      // 00:30 UTC on 29 March: BST starts at 01:00 UTC, so still GMT: 00:30 on the 29th.
      'E2,P1,2026-03-29T00:30:00Z,Praise,2026-03-29T00:30:00Z',
      // 01:30 UTC on 29 March: BST has begun: 02:30.
      'E3,P1,2026-03-29T01:30:00Z,Praise,2026-03-29T01:30:00Z',
      // 00:30 UTC on 25 October: BST until 01:00 UTC: 01:30.
      'E4,P1,2026-10-25T00:30:00Z,Praise,2026-10-25T00:30:00Z',
      // 01:30 UTC on 25 October: GMT again: 01:30.
      'E5,P1,2026-10-25T01:30:00Z,Praise,2026-10-25T01:30:00Z',
      // Winter: UTC is UK time; 23:30 stays on 1 December.
      'E6,P1,2025-12-01T23:30:00Z,Praise,2025-12-01T23:30:00.000Z',
      // An offset: 23:30 at UTC+2 is 21:30 UTC, 22:30 BST, still 1 June.
      'E7,P1,2026-06-01T23:30:00+02:00,Praise,2026-06-01T23:30:00+02:00',
      // No zone: already the school's time, kept as written.
      'E8,P1,2026-06-01 23:30,Praise,2026-06-01 23:30',
      // The same instant as E1 written other ways: no seconds, a space, a lower-case z.
      'E9,P1,2026-06-01 23:30 Z,Praise,2026-06-01T23:30z',
      // 23:30 at UTC-5 is 04:30 UTC on 2 June, 05:30 BST.
      'E10,P1,2026-06-01T23:30 -0500,Praise,2026-06-01T23:30:00-05',
    ].join('\n');
    const report = await ingest(warehouse.connection, [
      school({ 'students.csv': 'student_id,first_name,year_group\nP1,Ada,9\n', 'behaviour.csv': `${behaviour}\n` }),
    ]);
    expect(report.files.map((f) => [f.fileName, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['students.csv', 1, 0],
      ['behaviour.csv', 10, 0],
    ]);
    const rows = await queryRows(
      warehouse.connection,
      "SELECT event_id, strftime(date, '%Y-%m-%d') AS date, strftime(statement_taken_at, '%Y-%m-%d %H:%M') AS taken FROM raw.behaviour ORDER BY event_id",
    );
    expect(rows).toEqual([
      { event_id: 'E1', date: '2026-06-02', taken: '2026-06-02 00:30' },
      { event_id: 'E10', date: '2026-06-02', taken: '2026-06-02 05:30' },
      { event_id: 'E2', date: '2026-03-29', taken: '2026-03-29 00:30' },
      { event_id: 'E3', date: '2026-03-29', taken: '2026-03-29 02:30' },
      { event_id: 'E4', date: '2026-10-25', taken: '2026-10-25 01:30' },
      { event_id: 'E5', date: '2026-10-25', taken: '2026-10-25 01:30' },
      { event_id: 'E6', date: '2025-12-01', taken: '2025-12-01 23:30' },
      { event_id: 'E7', date: '2026-06-01', taken: '2026-06-01 22:30' },
      { event_id: 'E8', date: '2026-06-01', taken: '2026-06-01 23:30' },
      { event_id: 'E9', date: '2026-06-02', taken: '2026-06-02 00:30' },
    ]);
  });

  it('a Class Charts timestamp in UTC gives the local date and the local time (so the period is the right one)', async () => {
    const activity = [
      'id,type,polarity,reason,score,timestamp,pupil_name,lesson_name,teacher_name,room_name,note',
      // 08:50 UTC in June is 09:50 BST; in January it is 08:50 GMT.
      '201,behaviour,negative,Talking,-1,2026-06-01T08:50:00Z,Ada Lovelace,Maths,Mr Smith,M1,',
      '202,behaviour,negative,Talking,-1,2026-01-12T08:50:00Z,Ada Lovelace,Maths,Mr Smith,M1,',
      // 23:30 UTC on 1 June: 00:30 on 2 June.
      '203,behaviour,positive,Kindness,1,2026-06-01T23:30:00Z,Ada Lovelace,,,,',
    ].join('\n');
    const report = await ingest(warehouse.connection, [
      school({ 'students.csv': 'student_id,first_name,last_name,year_group\nA1,Ada,Lovelace,9\n', 'classcharts_activity_export.csv': `${activity}\n` }),
    ]);
    expect(report.files.map((f) => [f.profile, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['canonical', 1, 0],
      ['classcharts-activity', 3, 0],
    ]);
    const rows = await queryRows(
      warehouse.connection,
      "SELECT event_id, strftime(date, '%Y-%m-%d') AS date, left(time::VARCHAR, 5) AS time FROM raw.behaviour ORDER BY event_id",
    );
    expect(rows).toEqual([
      { event_id: '201', date: '2026-06-01', time: '09:50' },
      { event_id: '202', date: '2026-01-12', time: '08:50' },
      { event_id: '203', date: '2026-06-02', time: '00:30' },
    ]);
  });
});
