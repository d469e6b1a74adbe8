import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FileReport } from './file-report.ts';
import { WINDOW_DATE, type WindowRule } from './windows.ts';
import { toExcelSafeCsv } from '../src/csv/excel-safe.ts';
import { literal } from '../src/warehouse/warehouse.ts';

/** A loaded file, as the import log keeps it. */
export interface LoggedFile {
  report: FileReport;
  size: number;
  sha256: string;
  rule: WindowRule | undefined;
}

/**
 * Keeps the import's loaded files in the warehouse's own record, inside the import's transaction
 * (just before its COMMIT): a row of raw.import_log per file (what was read, loaded, rejected,
 * new, corrected, removed, and the window) and the files' rejects in raw.rejects. One statement
 * for every file, not one each: a weekly import of a trust is 300 small files.
 */
export async function recordImports(connection: DuckDBConnection, importId: string, logged: readonly LoggedFile[]): Promise<void> {
  if (logged.length === 0) return;
  const rows = logged.map((f) => importLogRow(importId, f));
  await connection.run(`INSERT INTO raw.import_log (${Object.keys(rows[0]).join(', ')}) VALUES ${rows.map((r) => `(${Object.values(r).join(', ')})`).join(',\n')}`);
  if (logged.every((f) => f.report.rejects.length === 0)) return;
  const appender = await connection.createAppender('rejects', 'raw');
  for (const { report: r } of logged) {
    for (const reject of r.rejects) {
      appender.appendVarchar(importId);
      appender.appendVarchar(r.schoolId);
      appender.appendVarchar(r.fileName);
      if (reject.line === null) appender.appendNull();
      else appender.appendInteger(reject.line);
      for (const v of [reject.column, reject.value]) {
        if (v === null) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.appendVarchar(reject.reason);
      appender.endRow();
    }
  }
  appender.flushSync();
  appender.closeSync();
}

/** One file's row of raw.import_log, as SQL values by column. */
function importLogRow(importId: string, { report: r, size, sha256, rule }: LoggedFile): Record<string, string | number> {
  // The window as one span (several schools in one file: from the earliest to the latest).
  const froms = r.windows.map((w) => w.from).filter((d): d is string => d !== null).sort();
  const tos = r.windows.map((w) => w.to).filter((d): d is string => d !== null).sort();
  const placing = WINDOW_DATE[r.recordType as keyof typeof WINDOW_DATE];
  const kind = placing === null ? 'none' : placing === 'snapshot' ? 'full' : (rule?.kind ?? 'rows');
  return {
    import_id: literal(importId),
    imported_at: 'current_localtimestamp()',
    school_id: literal(r.schoolId),
    record_type: literal(r.recordType),
    file_name: literal(r.fileName),
    file_path: literal(path.resolve(r.filePath)),
    size_bytes: String(size),
    sha256: literal(sha256),
    encoding: literal(r.encoding),
    delimiter: literal(r.delimiter),
    profile: literal(r.profile),
    rows_read: r.rowsRead,
    rows_loaded: r.rowsLoaded,
    rows_rejected: r.rowsRejected,
    rows_new: r.rowsNew,
    rows_changed: r.rowsChanged,
    rows_unchanged: r.rowsUnchanged,
    rows_removed: r.rowsRemoved,
    window_from: froms.length > 0 ? `DATE ${literal(froms[0])}` : 'NULL',
    window_to: tos.length > 0 ? `DATE ${literal(tos[tos.length - 1])}` : 'NULL',
    window_kind: literal(kind),
  };
}

/** The import's rejects as one CSV beside the warehouse (Excel-safe), or null when there are none. */
export function writeRejectsCsv(dir: string, importId: string, files: readonly FileReport[]): string | null {
  const rows = files.flatMap((f) => f.rejects.map((r) => ({ school_id: f.schoolId, file: f.filePath, ...r })));
  if (rows.length === 0) return null;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rejects-${importId}.csv`);
  writeFileSync(file, toExcelSafeCsv(rows, ['school_id', 'file', 'line', 'column', 'value', 'reason']));
  return file;
}
