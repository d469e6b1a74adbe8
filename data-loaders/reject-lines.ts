import type { DuckDBConnection } from '@duckdb/node-api';
import { overlongRecords, physicalLinesOfRecords, rowRecords } from './record-lines.ts';
import type { SourceFile } from './source-file.ts';
import { queryRows } from '../src/warehouse/warehouse.ts';

/** A rejected row as reported: where it is, what was wrong. */
export interface RejectRow {
  /** Physical line in the file (1 = header), as a text editor or spreadsheet shows it. */
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

/**
 * A reject of a students.csv row and the pupil the row names (its school and id), so that the
 * rejects of the pupil's other rows can say why the pupil is unknown (ingest.ts, checks.ts).
 */
export interface RejectedPupil {
  schoolId: string;
  studentId: string;
  reject: RejectRow;
}

/** Gathers check failures and rows DuckDB's reader could not split, with physical line numbers. */
export async function collectRejects(
  connection: DuckDBConnection,
  source: SourceFile,
  anyFailed: boolean,
  split: boolean,
  /** SQL over `rows` (alias w): the school and the pupil a rejected row names (students.csv), or null. */
  pupilOf: { school: string; student: string } | null = null,
): Promise<{ rows: RejectRow[]; malformedRecords: number[]; pupils: RejectedPupil[] }> {
  const malformed = await queryRows<{ record: number; column_idx: number | null; csv_line: string; error_message: string }>(
    connection,
    // DuckDB may log several errors for one record; one reject per record is what the user needs.
    `SELECT (line - 1)::INTEGER AS record, NULL::INTEGER AS column_idx, first(csv_line ORDER BY column_idx) AS csv_line,
            first(error_message ORDER BY column_idx) AS error_message
     FROM src_csv_errors GROUP BY line ORDER BY line`,
  );
  if (!anyFailed && malformed.length === 0) return { rows: [], malformedRecords: [], pupils: [] };
  const failed = anyFailed
    ? await queryRows<{ src_rn: number; column: string | null; value: string | null; reason: string; duplicate_of: number | null; pupil_school: string | null; pupil: string | null }>(
        connection,
        // Rows are records, unless records were split into one row per pupil (then src_rn says which).
        split
          ? `SELECT w.src_rn::INTEGER AS src_rn, r."column", r.value, r.reason, f.src_rn::INTEGER AS duplicate_of
             FROM rejects_tmp r JOIN rows w ON w.rn = r.rn LEFT JOIN rows f ON f.rn = r.duplicate_of
             ORDER BY r.rn, r."column"`
          : pupilOf
            ? `SELECT r.rn::INTEGER AS src_rn, r."column", r.value, r.reason, r.duplicate_of::INTEGER AS duplicate_of,
                 (${pupilOf.school})::VARCHAR AS pupil_school, (${pupilOf.student})::VARCHAR AS pupil
               FROM rejects_tmp r LEFT JOIN rows w ON w.rn = r.rn ORDER BY r.rn, r."column"`
            : `SELECT rn::INTEGER AS src_rn, "column", value, reason, duplicate_of::INTEGER AS duplicate_of FROM rejects_tmp ORDER BY rn, "column"`,
      )
    : [];
  // DuckDB numbers good records densely, skipping malformed ones and empty lines: put the gaps back.
  const skipped = [...new Set(malformed.map((m) => m.record))].sort((a, b) => a - b);
  const rowsFound = rowRecords(source.text, failed.flatMap((f) => [f.src_rn, ...(f.duplicate_of ? [f.duplicate_of] : [])]), skipped, source.delimiter);
  const recordOf = (rn: number) => {
    const found = rowsFound.get(rn);
    if (found !== undefined) return found;
    let record = rn;
    for (const s of skipped) if (s <= record) record += 1;
    return record;
  };
  const records = [...failed.flatMap((f) => [recordOf(f.src_rn), ...(f.duplicate_of ? [recordOf(f.duplicate_of)] : [])]), ...skipped];
  const lines = physicalLinesOfRecords(source.text, records, source.delimiter);
  const lineOf = (record: number) => lines.get(record) ?? record + 1;
  const overlongs = overlongRecords(source.text, skipped, source.delimiter);
  const pupils: RejectedPupil[] = [];
  const rows: RejectRow[] = [
    ...failed.map((f) => {
      const reject: RejectRow = {
        line: lineOf(recordOf(f.src_rn)),
        column: f.column,
        value: f.value,
        reason: !f.duplicate_of
          ? f.reason
          : f.duplicate_of === f.src_rn
            ? `${f.reason}: the same pupil is named twice in this record`
            : `${f.reason}: same key as line ${lineOf(recordOf(f.duplicate_of))}`,
      };
      if (f.pupil && f.pupil_school) pupils.push({ schoolId: f.pupil_school, studentId: f.pupil, reject });
      return reject;
    }),
    ...malformed.map((m) => {
      // DuckDB calls a very long row an "unterminated quote": say the real reason.
      const overlong = overlongs.get(m.record);
      return {
        line: lineOf(m.record),
        column: m.column_idx && !overlong ? (source.headers[m.column_idx - 1] ?? null) : null,
        value: overlong?.value ?? m.csv_line.replace(/^\r?\n/, ''),
        reason: overlong?.reason ?? `row cannot be split into ${source.headers.length} columns: ${m.error_message}`,
      };
    }),
  ];
  rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, malformedRecords: skipped, pupils };
}
