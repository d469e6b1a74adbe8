/**
 * The ten canonical files (shared/DATA-CONTRACT.md) and a CSV writer for them.
 * Cells are quoted as Papaparse's `unparse` quotes them (commas, quotes, line breaks; see
 * csvCell, tested against it); rows are turned into text as they come, so the 450k attendance
 * rows never sit in memory as objects.
 * Output: UTF-8 without BOM, `\n` line endings, a header line, a final newline.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';

export const FILE_COLUMNS = {
  'students.csv': [
    'student_id', 'upn', 'first_name', 'last_name', 'year_group', 'form', 'house', 'gender', 'date_of_birth', 'sen',
    'pupil_premium', 'fsm', 'eal', 'ethnicity', 'looked_after', 'admission_date', 'leaving_date',
  ],
  'behaviour.csv': [
    'event_id', 'student_id', 'date', 'time', 'period', 'polarity', 'category', 'points', 'severity', 'subject',
    'location', 'staff', 'action', 'comment', 'statement_taken_at',
  ],
  'attendance.csv': ['student_id', 'date', 'session', 'code', 'minutes_late'],
  'bsc.csv': [
    'referral_id', 'student_id', 'date', 'referred_by', 'reason', 'event_id', 'periods', 'start_time', 'end_time',
    'booklet', 'conduct', 'outcome', 'parent_contacted', 'statement_taken', 'reintegration_date',
  ],
  'detentions.csv': ['detention_id', 'student_id', 'date', 'type', 'minutes', 'reason', 'issued_by', 'event_id', 'status'],
  'interventions.csv': [
    'intervention_id', 'student_id', 'type', 'start_date', 'end_date', 'review_date', 'focus', 'staff', 'status',
    'group_id', 'sessions_planned', 'sessions_attended', 'outcome',
  ],
  'suspensions.csv': ['suspension_id', 'student_id', 'start_date', 'sessions', 'type', 'reason'],
  'contacts.csv': ['contact_id', 'student_id', 'date', 'method', 'reason', 'staff', 'outcome'],
  'calendar.csv': ['academic_year', 'term', 'half_term', 'start_date', 'end_date'],
  'periods.csv': ['period', 'start_time', 'end_time'],
} as const;

export type FileName = keyof typeof FILE_COLUMNS;
export const FILE_NAMES = Object.keys(FILE_COLUMNS) as FileName[];

export type Cell = string | number | null | undefined;

const CHUNK = 20_000;

/** What makes Papaparse quote a cell: a delimiter, quote, line break or BOM inside, or a space at either end. */
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

/**
 * One cell as Papaparse's `unparse` writes it (default options), byte for byte, without its
 * per-call setup: the demo writes millions of cells, and the generic path spent most of the
 * generator's time in serialising and the garbage it left.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = value.replace(/"/g, '""');
  return NEEDS_QUOTES.test(value) ? `"${text}"` : text;
}

/** Rows of one file, kept as CSV text chunks. */
export class CsvTable {
  private readonly parts: string[] = [];
  private pending: string[] = [];
  private count = 0;

  constructor(readonly columns: readonly string[]) {
    this.parts.push(Papa.unparse([columns as string[]], { newline: '\n' }) + '\n');
  }

  push(row: Cell[]): void {
    if (row.length !== this.columns.length) throw new Error(`row has ${row.length} cells, expected ${this.columns.length}`);
    let line = csvCell(row[0]);
    for (let i = 1; i < row.length; i++) line += `,${csvCell(row[i])}`;
    this.pending.push(line);
    this.count++;
    if (this.pending.length >= CHUNK) this.flush();
  }

  get rows(): number {
    return this.count;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(`${this.pending.join('\n')}\n`);
    this.pending = [];
  }

  text(): string {
    this.flush();
    return this.parts.join('');
  }
}

export async function writeTables(dir: string, tables: Record<FileName, CsvTable>): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const rows: Record<string, number> = {};
  for (const name of FILE_NAMES) {
    await writeFile(join(dir, name), tables[name].text(), 'utf8');
    rows[name] = tables[name].rows;
  }
  return rows;
}
