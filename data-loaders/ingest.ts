import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mapCanonicalColumns } from './column-mapping.ts';
import { CONTRACT, RECORD_TYPES } from './contract.ts';
import { discoverSchools } from './discover.ts';
import { loadFile, type FileReport } from './load-file.ts';
import { ensureRawSchema } from './raw-schema.ts';
import { inspectSourceFile } from './source-file.ts';
import { toExcelSafeCsv } from '../src/csv/excel-safe.ts';
import { literal } from '../src/warehouse/warehouse.ts';

export interface StoppedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  reason: string;
}

export interface ImportReport {
  importId: string;
  committed: boolean;
  files: FileReport[];
  stopped: StoppedFile[];
  rejectsCsv: string | null;
}

export interface IngestOptions {
  /** Validate only: run every check, then roll back. */
  dryRun?: boolean;
  /** Folder for the rejects CSV (default: no CSV). */
  rejectsDir?: string;
  onFileStart?: (schoolId: string, fileName: string) => void;
  onFileDone?: (report: FileReport | StoppedFile) => void;
  /** Test hook: called after each file inside the open transaction. */
  afterFile?: (report: FileReport) => Promise<void> | void;
}

function newImportId(dirs: readonly string[]): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${createHash('sha1').update(dirs.join('|') + Math.random()).digest('hex').slice(0, 6)}`;
}

/**
 * Imports school export folders as one transaction: either every file's good rows land, or
 * (on any error, or a kill) the warehouse is left exactly as it was. Students load first, so
 * other files can be checked against the pupils of the same import.
 */
export async function ingest(connection: DuckDBConnection, dirs: readonly string[], options: IngestOptions = {}): Promise<ImportReport> {
  const schools = discoverSchools(dirs);
  const importId = newImportId(dirs);
  const files: FileReport[] = [];
  const stopped: StoppedFile[] = [];
  await ensureRawSchema(connection);
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const school of schools) {
      const order = ['students', 'calendar', ...RECORD_TYPES.filter((t) => t !== 'students' && t !== 'calendar')] as const;
      for (const type of order) {
        const filePath = school.files[type];
        if (!filePath) continue;
        const spec = CONTRACT[type];
        options.onFileStart?.(school.schoolId, spec.fileName);
        const source = inspectSourceFile(filePath);
        const mapping = mapCanonicalColumns(spec, source.headers);
        if (mapping.missingRequired.length > 0) {
          const s: StoppedFile = {
            schoolId: school.schoolId,
            fileName: spec.fileName,
            filePath,
            reason: `missing required column${mapping.missingRequired.length > 1 ? 's' : ''} ${mapping.missingRequired.join(', ')}; columns found: ${source.headers.join(', ') || '(none)'}`,
          };
          stopped.push(s);
          options.onFileDone?.(s);
          continue;
        }
        const report = await loadFile(connection, { schoolId: school.schoolId, spec, source, mapping, profile: 'canonical' });
        await recordImport(connection, importId, report, source.sizeBytes, source.sha256);
        files.push(report);
        options.onFileDone?.(report);
        await options.afterFile?.(report);
      }
    }
    if (options.dryRun) await connection.run('ROLLBACK');
    else await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  const rejectsCsv = options.rejectsDir ? writeRejectsCsv(options.rejectsDir, importId, files) : null;
  return { importId, committed: !options.dryRun, files, stopped, rejectsCsv };
}

async function recordImport(connection: DuckDBConnection, importId: string, r: FileReport, size: number, sha256: string): Promise<void> {
  const values = [
    literal(importId), 'current_localtimestamp()', literal(r.schoolId), literal(r.recordType), literal(r.fileName),
    literal(path.resolve(r.filePath)), String(size), literal(sha256), literal(r.encoding), literal(r.delimiter),
    literal(r.profile), r.rowsRead, r.rowsLoaded, r.rowsRejected, r.rowsNew, r.rowsChanged, r.rowsUnchanged,
  ];
  await connection.run(`INSERT INTO raw.import_log VALUES (${values.join(', ')})`);
  if (r.rejects.length === 0) return;
  const appender = await connection.createAppender('rejects', 'raw');
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
  appender.flushSync();
  appender.closeSync();
}

function writeRejectsCsv(dir: string, importId: string, files: readonly FileReport[]): string | null {
  const rows = files.flatMap((f) => f.rejects.map((r) => ({ school_id: f.schoolId, file: f.filePath, ...r })));
  if (rows.length === 0) return null;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rejects-${importId}.csv`);
  writeFileSync(file, toExcelSafeCsv(rows, ['school_id', 'file', 'line', 'column', 'value', 'reason']));
  return file;
}
