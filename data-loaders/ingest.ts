import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { chooseLayout, layoutName, type Layout } from './choose-layout.ts';
import { mapCanonicalColumns, mapProfileColumns } from './column-mapping.ts';
import { RECORD_TYPES } from './contract.ts';
import { discoverExports, isCsv } from './discover.ts';
import { loadFile, type FileReport } from './load-file.ts';
import { WINDOW_DATE, type WindowRule } from './windows.ts';
import { profilesByName } from './profiles/index.ts';
import { ensureRawSchema } from './raw-schema.ts';
import { inspectSourceFile, readHeaderRow, withUndecodableRejects } from './source-file.ts';
import { toExcelSafeCsv } from '../src/csv/excel-safe.ts';
import { literal, queryRows } from '../src/warehouse/warehouse.ts';

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

/** A file not loaded because the warehouse already holds an import of the same content (refresh). */
export interface SkippedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  recordType: string;
  /** When the same content was imported before. */
  importedAt: string;
}

export interface ImportReport {
  importId: string;
  committed: boolean;
  files: FileReport[];
  stopped: StoppedFile[];
  ignored: IgnoredFile[];
  /** Files left alone because their content was imported before (only with skipImported). */
  skipped: SkippedFile[];
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
  /**
   * The dates each file covers (docs/data-contract.md, "Windows and removals"): from its own
   * rows (default), declared (`--covers`, per record type or for all: key '*'), or a full snapshot.
   */
  windows?: Readonly<Record<string, WindowRule>>;
  /** Share of a window's rows one file may remove before the import stops (default 0.2). */
  removalLimit?: number;
  /** Remove whatever a window lacks, however much (`--allow-removals`). */
  allowRemovals?: boolean;
  /** Leave out files whose content (SHA-256) the warehouse has imported before for the same school (refresh). */
  skipImported?: boolean;
  onSkip?: (file: SkippedFile) => void;
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
  const skipped: SkippedFile[] = [];
  await ensureRawSchema(connection, { rebuildKeyed: !options.dryRun });
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const [index, planned] of plan.files.entries()) {
      const { spec, profile } = planned.layout;
      const source = inspectSourceFile(planned.filePath);
      if (options.skipImported) {
        const [before] = await queryRows<{ imported_at: string }>(
          connection,
          `SELECT strftime(min(imported_at), '%Y-%m-%d %H:%M') AS imported_at FROM raw.import_log
           WHERE school_id = ${literal(planned.schoolId)} AND sha256 = ${literal(source.sha256)} HAVING count(*) > 0`,
        );
        if (before) {
          const s: SkippedFile = { schoolId: planned.schoolId, fileName: planned.fileName, filePath: planned.filePath, recordType: spec.name, importedAt: before.imported_at };
          skipped.push(s);
          options.onSkip?.(s);
          continue;
        }
      }
      options.onFileStart?.(planned, index, plan.files.length);
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
        importId,
        window: options.windows?.[spec.name] ?? options.windows?.['*'],
        removalLimit: options.removalLimit,
        allowRemovals: options.allowRemovals,
      });
      await recordImport(connection, importId, report, source.sizeBytes, source.sha256, options.windows?.[spec.name] ?? options.windows?.['*']);
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
  return { importId, committed: !options.dryRun, files, stopped, ignored: plan.ignored, skipped, rejectsCsv };
}

async function recordImport(connection: DuckDBConnection, importId: string, r: FileReport, size: number, sha256: string, rule: WindowRule | undefined): Promise<void> {
  // The window as one span (several schools in one file: from the earliest to the latest).
  const froms = r.windows.map((w) => w.from).filter((d): d is string => d !== null).sort();
  const tos = r.windows.map((w) => w.to).filter((d): d is string => d !== null).sort();
  const placing = WINDOW_DATE[r.recordType as keyof typeof WINDOW_DATE];
  const kind = placing === null ? 'none' : placing === 'snapshot' ? 'full' : (rule?.kind ?? 'rows');
  const columns = {
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
  await connection.run(`INSERT INTO raw.import_log (${Object.keys(columns).join(', ')}) VALUES (${Object.values(columns).join(', ')})`);
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
