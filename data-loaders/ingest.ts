import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { chooseLayout, layoutName, type Layout } from './choose-layout.ts';
import { mapCanonicalColumns, mapProfileColumns } from './column-mapping.ts';
import { RECORD_TYPES } from './contract.ts';
import { discoverExports, isCsv } from './discover.ts';
import { loadFile, type FileReport } from './load-file.ts';
import { profilesByName } from './profiles/index.ts';
import { ensureRawSchema } from './raw-schema.ts';
import { inspectSourceFile, readHeaderRow, withUndecodableRejects } from './source-file.ts';
import { toExcelSafeCsv } from '../src/csv/excel-safe.ts';
import { literal } from '../src/warehouse/warehouse.ts';

/** A file that was read but could not be loaded at all (a required column is missing). */
export interface StoppedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  /** `canonical` or the vendor profile it was read with. */
  profile: string;
  reason: string;
}

/** A file in a school folder that is not an export this import can read, and why. */
export interface IgnoredFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  reason: string;
}

/** A file the import will load, and how it will read it. */
export interface PlannedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  sizeBytes: number;
  layout: Layout;
}

export interface ImportReport {
  importId: string;
  committed: boolean;
  files: FileReport[];
  stopped: StoppedFile[];
  ignored: IgnoredFile[];
  rejectsCsv: string | null;
}

export interface IngestOptions {
  /** Validate only: run every check, then roll back. */
  dryRun?: boolean;
  /** Folder for the rejects CSV (default: no CSV). */
  rejectsDir?: string;
  /** Vendor profiles to read files with instead of choosing from their headers (`--profile`). */
  profiles?: readonly string[];
  /** Called once, before anything is loaded, with what will be loaded and what is ignored. */
  onPlan?: (files: readonly PlannedFile[], ignored: readonly IgnoredFile[]) => void;
  onFileStart?: (file: PlannedFile, index: number, total: number) => void;
  onFileDone?: (report: FileReport | StoppedFile) => void;
  /** Test hook: called after each file inside the open transaction. */
  afterFile?: (report: FileReport) => Promise<void> | void;
}

function newImportId(dirs: readonly string[]): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${createHash('sha1').update(dirs.join('|') + Math.random()).digest('hex').slice(0, 6)}`;
}

/**
 * Decides, before anything is loaded, how each file of each school folder is read. Students
 * come first (every other file is checked against the pupils), then the calendar, then the
 * other record types, each in file-name order.
 */
export function planImport(dirs: readonly string[], profileNames: readonly string[] = []): { files: PlannedFile[]; ignored: IgnoredFile[] } {
  const forced = profilesByName(profileNames);
  const files: PlannedFile[] = [];
  // Links followed; what is not read (a broken link, a folder with no .csv …) is listed, with why.
  const { schools, skipped } = discoverExports(dirs);
  const ignored: IgnoredFile[] = [...skipped];
  for (const school of schools) {
    for (const filePath of school.files) {
      const fileName = path.basename(filePath);
      if (!isCsv(fileName)) {
        ignored.push({ schoolId: school.schoolId, fileName, filePath, reason: 'not a .csv file' });
        continue;
      }
      const choice = chooseLayout(fileName, readHeaderRow(filePath).headers, forced);
      if ('ignored' in choice) ignored.push({ schoolId: school.schoolId, fileName, filePath, reason: choice.ignored });
      else files.push({ schoolId: school.schoolId, fileName, filePath, sizeBytes: statSync(filePath).size, layout: choice.layout });
    }
  }
  const order = (f: PlannedFile) => {
    const type = f.layout.spec.name;
    return type === 'students' ? 0 : type === 'calendar' ? 1 : 2 + RECORD_TYPES.indexOf(type);
  };
  const schoolOrder = [...new Set(files.map((f) => f.schoolId))];
  files.sort((a, b) => schoolOrder.indexOf(a.schoolId) - schoolOrder.indexOf(b.schoolId) || order(a) - order(b) || a.fileName.localeCompare(b.fileName));
  return { files, ignored };
}

/**
 * Imports school export folders as one transaction: either every file's good rows land, or
 * (on any error, or a kill) the warehouse is left exactly as it was. Students load first, so
 * other files can be checked against the pupils of the same import.
 */
export async function ingest(connection: DuckDBConnection, dirs: readonly string[], options: IngestOptions = {}): Promise<ImportReport> {
  const plan = planImport(dirs, options.profiles);
  options.onPlan?.(plan.files, plan.ignored);
  const importId = newImportId(dirs);
  const files: FileReport[] = [];
  const stopped: StoppedFile[] = [];
  await ensureRawSchema(connection, { rebuildKeyed: !options.dryRun });
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const [index, planned] of plan.files.entries()) {
      options.onFileStart?.(planned, index, plan.files.length);
      const { spec, profile } = planned.layout;
      const source = inspectSourceFile(planned.filePath);
      // The plan read only the first bytes; map the columns again from the file as read.
      // Rows holding bytes that are not UTF-8 (in an otherwise UTF-8 file) are rejected, not guessed.
      const mapping = withUndecodableRejects(profile ? mapProfileColumns(spec, profile, source.headers) : mapCanonicalColumns(spec, source.headers), source);
      if (mapping.missingRequired.length > 0) {
        const s: StoppedFile = {
          schoolId: planned.schoolId,
          fileName: planned.fileName,
          filePath: planned.filePath,
          profile: layoutName(planned.layout),
          reason:
            `missing required column${mapping.missingRequired.length > 1 ? 's' : ''} ${mapping.missingRequired.join(', ')}` +
            `${profile ? ` for profile ${profile.name} (${spec.name})` : ''}; columns found: ${source.headers.join(', ') || '(none)'}`,
        };
        stopped.push(s);
        options.onFileDone?.(s);
        continue;
      }
      const report = await loadFile(connection, {
        schoolId: planned.schoolId,
        spec,
        source,
        mapping,
        profile: layoutName(planned.layout),
        fileName: planned.fileName,
      });
      await recordImport(connection, importId, report, source.sizeBytes, source.sha256);
      files.push(report);
      options.onFileDone?.(report);
      await options.afterFile?.(report);
    }
    if (options.dryRun) await connection.run('ROLLBACK');
    else await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  const rejectsCsv = options.rejectsDir ? writeRejectsCsv(options.rejectsDir, importId, files) : null;
  return { importId, committed: !options.dryRun, files, stopped, ignored: plan.ignored, rejectsCsv };
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
