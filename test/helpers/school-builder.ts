/**
 * Hand-made schools for model tests: write a few rows per file as canonical CSVs, import them
 * into a fresh warehouse and build the models. Keeps each test's data next to its expectations.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { runModels } from '../../src/models/run-models.ts';
import type { ModelSettings } from '../../src/models/settings.ts';
import { queryRows, withWarehouse, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from './warehouse.ts';

type Row = Record<string, string | number | null>;
export type SchoolFiles = Partial<Record<'students' | 'behaviour' | 'attendance' | 'bsc' | 'detentions' | 'interventions' | 'suspensions' | 'contacts' | 'calendar' | 'periods', Row[]>>;

/** Weekdays from `from` to `to` inclusive (ISO dates), minus `except`. */
export function weekdays(from: string, to: string, except: readonly string[] = []): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !except.includes(iso)) days.push(iso);
  }
  return days;
}

/**
 * AM and PM marks for each pupil on each day: present unless `codes` says otherwise, keyed
 * "S1|2025-09-08|AM" → "I", or "L:5" for a code with minutes late.
 */
export function registers(students: readonly string[], days: readonly string[], codes: Record<string, string> = {}): Row[] {
  return students.flatMap((s) =>
    days.flatMap((d) => (['AM', 'PM'] as const).map((session) => {
      const [code, minutes] = (codes[`${s}|${d}|${session}`] ?? (session === 'AM' ? '/' : '\\')).split(':');
      return { student_id: s, date: d, session, code, minutes_late: minutes ?? '' };
    })),
  );
}

/** The same code for the given sessions of a pupil: mark('A', ['2025-09-08'], 'I') → both sessions. */
export function mark(student: string, days: readonly string[], code: string, sessions: readonly ('AM' | 'PM')[] = ['AM', 'PM']): Record<string, string> {
  return Object.fromEntries(days.flatMap((d) => sessions.map((s) => [`${student}|${d}|${s}`, code])));
}

export function writeSchool(files: SchoolFiles, schoolId = 'school'): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-school-')), schoolId);
  mkdirSync(dir);
  for (const [name, rows] of Object.entries(files)) {
    if (!rows || rows.length === 0) continue;
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    writeFileSync(path.join(dir, `${name}.csv`), Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) }));
  }
  return dir;
}

/** Imports export folders into a fresh warehouse and builds every model; fails loudly on rejects or failing data tests. */
export async function modelledExports(dirs: readonly string[], settings: Partial<ModelSettings> = {}): Promise<Warehouse> {
  const warehouse = await openTempWarehouse();
  const report = await ingest(warehouse.connection, dirs);
  const rejects = report.files.flatMap((f) => f.rejects);
  if (rejects.length > 0 || report.stopped.length > 0) throw new Error(`fixture rejected: ${JSON.stringify([...rejects, ...report.stopped])}`);
  const models = await runModels(warehouse.connection, { settings });
  if (models.failures.length > 0) throw new Error(`data tests failed: ${JSON.stringify(models.failures)}`);
  return warehouse;
}

/**
 * Imports an export folder into the warehouse file `db` (made if new, kept between calls: a
 * refresh) and brings its models up to date; fails loudly on a stopped file or failing data tests.
 */
export async function importAndModel(db: string, exportsDir: string): Promise<void> {
  await withWarehouse(db, async (c) => {
    const report = await ingest(c, [exportsDir]);
    if (report.stopped.length > 0) throw new Error(`import stopped: ${report.stopped.map((s) => s.reason).join(', ')}`);
    const models = await runModels(c);
    if (models.failures.length > 0) throw new Error(`data tests failed: ${models.failures.map((f) => f.test).join(', ')}`);
  });
}

/**
 * The demo's exports (`generateDemo` with `demo`) in `<dir>/exports`, and the same exports as
 * they stood a week earlier (before the last school week) in `<dir>/week-ago`: for the Monday
 * routine of importing last week's warehouse, then the week.
 */
export async function demoAndWeekAgo(dir: string, demo: Omit<Parameters<typeof generateDemo>[0], 'outDir'>): Promise<{ exportsDir: string; weekAgo: string }> {
  const exportsDir = path.join(dir, 'exports');
  await generateDemo({ ...demo, outDir: exportsDir });
  const weekAgo = path.join(dir, 'week-ago');
  copyExportsBefore(exportsDir, weekAgo, lastWeekStart(exportsDir));
  return { exportsDir, weekAgo };
}

/** A hand-made school, written as CSVs, imported and modelled. */
export function modelledSchool(files: SchoolFiles, settings: Partial<ModelSettings> = {}): Promise<Warehouse> {
  return modelledExports([writeSchool(files)], settings);
}

export function rows<T = Record<string, unknown>>(warehouse: Warehouse, sql: string): Promise<T[]> {
  return queryRows<T>(warehouse.connection, sql);
}
