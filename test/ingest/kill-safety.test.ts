import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { openWarehouse, queryRows } from '../../src/warehouse/warehouse.ts';
import { fixture, rawSnapshot } from '../helpers/warehouse.ts';

const CLI = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));

/**
 * A large export of the tiny school: its five pupils plus `extraPupils` more, a register for
 * every pupil on `days` school days, a behaviour file from which one event was deleted, and a
 * corrected detentions file (D2 attended, not missed).
 * Committed, it would change the warehouse in many ways; killed, it must change nothing.
 */
function writeLargeTinySchool(extraPupils: number, days: number): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-kill-')), 'tiny-school');
  mkdirSync(dir);
  const pupils = Array.from({ length: extraPupils }, (_, i) => `K${String(i + 1).padStart(5, '0')}`);
  const students = readFileSync(fixture('tiny-school', 'students.csv'), 'utf-8').trimEnd().split('\n');
  for (const id of pupils) students.push(`${id},Kay,Test${id},8,8K,F,N,N,N,N,,`);
  writeFileSync(path.join(dir, 'students.csv'), `${students.join('\n')}\n`);
  const dates: string[] = [];
  // From Monday 22 September, after the tiny school's own register: this export's window (its
  // first to last date) then holds none of the rows already loaded, so it removes nothing.
  for (let d = new Date(Date.UTC(2025, 8, 22)); dates.length < days; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
  }
  const lines = ['student_id,date,session,code,minutes_late'];
  for (const id of pupils) for (const date of dates) lines.push(`${id},${date},AM,/,`, `${id},${date},PM,\\,`);
  writeFileSync(path.join(dir, 'attendance.csv'), `${lines.join('\n')}\n`);
  // E3 was deleted in the MIS: committed, this export removes it from the warehouse.
  writeFileSync(path.join(dir, 'behaviour.csv'), readFileSync(fixture('tiny-school', 'behaviour.csv'), 'utf-8').replace(/^E3,.*\n/m, ''));
  writeFileSync(
    path.join(dir, 'detentions.csv'),
    readFileSync(fixture('tiny-school', 'detentions.csv'), 'utf-8').replace('D2,B,2025-09-18,lunch,30,Uniform,MNO,E6,missed', 'D2,B,2025-09-18,lunch,30,Uniform,MNO,E6,attended'),
  );
  return dir;
}

/** Runs `pastoral ingest` and SIGKILLs it as soon as its first file is reported (students.csv). */
function ingestAndKill(dir: string, db: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'ingest', dir, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Europe/London' } });
    let stdout = '';
    let killed = false;
    child.stdout.setEncoding('utf-8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      // The students file is done and the import moves on to the large attendance file: kill it there.
      if (!killed && stdout.includes('tiny-school/students.csv')) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ signal, code, stdout }));
  });
}

describe('an import killed half-way (SIGKILL) leaves the warehouse exactly as it was', () => {
  it('kills `pastoral ingest` during a large export, then finds the previous data intact and imports again', async () => {
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-kill-db-')), 'warehouse.duckdb');
    const first = await openWarehouse(db);
    await ingest(first.connection, [fixture('tiny-school')]);
    const before = await rawSnapshot(first.connection);
    const logBefore = await queryRows(first.connection, 'SELECT import_id, file_name, rows_loaded FROM raw.import_log ORDER BY ALL');
    first.close();

    // 4,000 pupils × 100 days × 2 sessions = 800,000 attendance rows.
    const big = writeLargeTinySchool(4000, 100);
    const run = await ingestAndKill(big, db);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).not.toContain('Imported:');

    const reopened = await openWarehouse(db);
    try {
      expect(await rawSnapshot(reopened.connection)).toEqual(before);
      expect(await queryRows(reopened.connection, 'SELECT import_id, file_name, rows_loaded FROM raw.import_log ORDER BY ALL')).toEqual(logBefore);

      // The warehouse is usable: the same export imports cleanly afterwards.
      const report = await ingest(reopened.connection, [big]);
      expect(report.files.map((f) => [f.fileName, f.rowsLoaded, f.rowsRejected, f.rowsNew, f.rowsChanged])).toEqual([
        ['students.csv', 4005, 0, 4000, 0],
        ['behaviour.csv', 5, 0, 0, 0],
        ['attendance.csv', 800_000, 0, 800_000, 0],
        ['detentions.csv', 3, 0, 0, 1],
      ]);
      expect(report.files.map((f) => f.rowsRemoved)).toEqual([0, 1, 0, 0]);
      const removed = await queryRows(reopened.connection, "SELECT event_id FROM raw.behaviour WHERE event_id = 'E3'");
      expect(removed).toEqual([]);
      const [row] = await queryRows<{ n: number }>(reopened.connection, "SELECT count(*)::INTEGER AS n FROM raw.attendance WHERE school_id = 'tiny-school'");
      expect(row.n).toBe(800_000 + 68);
    } finally {
      reopened.close();
    }
  });
});
