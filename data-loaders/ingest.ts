import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { layoutName } from './choose-layout.ts';
import { mapCanonicalColumns, mapProfileColumns } from './column-mapping.ts';
import { recordImports, writeRejectsCsv, type LoggedFile } from './import-log.ts';
import { loadFile, type FileReport } from './load-file.ts';
import { planImport, type IgnoredFile, type PlannedFile } from './plan-import.ts';
import { ensureRawSchema, keySchools, moveOldRawTables } from './raw-schema.ts';
import type { ByteScan } from './scan-bytes.mjs';
import { ByteScanner, inspectSourceFile, withUndecodableRejects, type SourceFile } from './source-file.ts';
import type { WindowRule } from './windows.ts';
import { literal, queryRows } from '../src/warehouse/warehouse.ts';

export type { IgnoredFile, PlannedFile } from './plan-import.ts';

/** A file that was read but could not be loaded at all (a required column is missing). */
export interface StoppedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  /** `canonical` or the vendor profile it was read with. */
  profile: string;
  reason: string;
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

/** Imports of this many bytes in all, or more, scan their files in a worker thread (ByteScanner). */
const SCAN_IN_WORKER_FROM_BYTES = 8 * 1024 * 1024;

/** Files scanned ahead of the one loading (each scan kept until its file loads holds its first 64 KB). */
const SCANS_AHEAD = 4;

/**
 * Files smaller than this load on one DuckDB thread. Their rows fit in about one row group
 * (122,880 rows), which DuckDB scans as one task, so a second thread has nothing to share, yet
 * each of a file's dozen small statements still wakes it: on a trust's weekly import (300 files
 * of 0.1–160 KB) that cost a third more CPU (15.3 against 11.6 CPU s, one run each at load 20–24;
 * docs/performance.md, session 19) and more elapsed time on a busy machine. A large file (a
 * first import's register marks) keeps every thread.
 */
const ONE_THREAD_BELOW_BYTES = 8 * 1024 * 1024;

/**
 * Sets DuckDB's threads for each file by its size (ONE_THREAD_BELOW_BYTES), only when that
 * changes them; `restore` puts back the number the import started with.
 */
async function threadsBySize(connection: DuckDBConnection): Promise<{ forFile: (sizeBytes: number) => Promise<void>; restore: () => Promise<void> }> {
  const [{ threads }] = await queryRows<{ threads: number }>(connection, "SELECT current_setting('threads')::INTEGER AS threads");
  let current = threads;
  const set = async (n: number) => {
    if (n === current) return;
    await connection.run(`SET threads = ${n}`);
    current = n;
  };
  return { forFile: (sizeBytes) => set(sizeBytes < ONE_THREAD_BELOW_BYTES ? 1 : threads), restore: () => set(threads) };
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
  // A check (dry run) moves an older warehouse's raw tables (raw-schema.ts) inside the transaction it
  // rolls back: it changes nothing, not even the tables' shape.
  await ensureRawSchema(connection, { moveOld: !options.dryRun });
  const threads = await threadsBySize(connection);
  await connection.run('BEGIN TRANSACTION');
  if (options.dryRun) {
    try {
      await moveOldRawTables(connection, { inTransaction: true });
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }
  // Each file's bytes are scanned (SHA-256, UTF-8, line breaks) in a worker thread while DuckDB
  // loads the file before it, so the load never waits for JavaScript reading a large file.
  // (A small import scans in this thread: starting a worker would cost more than it saves.)
  const scanner = new ByteScanner({ inWorker: plan.files.reduce((n, f) => n + f.sizeBytes, 0) >= SCAN_IN_WORKER_FROM_BYTES });
  // Scans are asked for SCANS_AHEAD files ahead, so the worker keeps working through small files'
  // loads (a large file after a few small ones is scanned while they load, not after).
  const scans = new Map<number, Promise<ByteScan>>();
  let asked = 0;
  const scanUpTo = (last: number) => {
    for (; asked <= Math.min(last, plan.files.length - 1); asked++) {
      const scan = scanner.scan(plan.files[asked].filePath);
      // Settled later (awaited) or never (the import failed first): never an unhandled rejection.
      scan.catch(() => {});
      scans.set(asked, scan);
    }
  };
  // The loaded files, logged in one statement before the COMMIT (recordImports).
  const logged: LoggedFile[] = [];
  try {
    // The schools' numbers in the stored rows (raw-schema.ts), given once for the import.
    const schoolKeys = await keySchools(connection, plan.files.map((f) => f.schoolId));
    for (const [index, planned] of plan.files.entries()) {
      scanUpTo(index + SCANS_AHEAD);
      const scan = await (scans.get(index) as Promise<ByteScan>);
      scans.delete(index);
      const source = inspectSourceFile(planned.filePath, scan);
      await threads.forFile(planned.sizeBytes);
      try {
        const done = await importFile(connection, { ...planned, schoolKey: schoolKeys.get(planned.schoolId) as number }, source, importId, options, logged, () =>
          options.onFileStart?.(planned, index, plan.files.length),
        );
        if ('importedAt' in done) {
          skipped.push(done);
          options.onSkip?.(done);
        } else if ('reason' in done) {
          stopped.push(done);
          options.onFileDone?.(done);
        } else {
          files.push(done);
          options.onFileDone?.(done);
          await options.afterFile?.(done);
        }
      } finally {
        // The decoded copy of a Windows-1252 (or part-UTF-8) file, loaded or not.
        source.removeCopy();
      }
    }
    if (options.dryRun) await connection.run('ROLLBACK');
    else {
      await recordImports(connection, importId, logged);
      // The commit writes every file's rows: on every thread.
      await threads.restore();
      await connection.run('COMMIT');
    }
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  } finally {
    scanner.close();
    // What runs next on this warehouse (the models, in a refresh) has every thread again. After a
    // failure, the failure is what the caller must see, not a second error from here.
    await threads.restore().catch(() => {});
  }
  const rejectsCsv = options.rejectsDir ? writeRejectsCsv(options.rejectsDir, importId, files) : null;
  return { importId, committed: !options.dryRun, files, stopped, ignored: plan.ignored, skipped, rejectsCsv };
}

/**
 * One planned file, inside the import's transaction: skipped (its content was imported before,
 * with skipImported), stopped (a required column is missing), or loaded and logged.
 */
async function importFile(
  connection: DuckDBConnection,
  planned: PlannedFile & { schoolKey: number },
  source: SourceFile,
  importId: string,
  options: IngestOptions,
  logged: LoggedFile[],
  onStart: () => void,
): Promise<FileReport | StoppedFile | SkippedFile> {
  const { spec, profile } = planned.layout;
  if (options.skipImported) {
    // Imported before, or earlier in this import (whose files are logged at its end).
    const earlier = logged.some((f) => f.report.schoolId === planned.schoolId && f.sha256 === source.sha256);
    const [before] = await queryRows<{ imported_at: string }>(
      connection,
      earlier
        ? "SELECT strftime(current_localtimestamp(), '%Y-%m-%d %H:%M') AS imported_at"
        : `SELECT strftime(min(imported_at), '%Y-%m-%d %H:%M') AS imported_at FROM raw.import_log
           WHERE school_id = ${literal(planned.schoolId)} AND sha256 = ${literal(source.sha256)} HAVING count(*) > 0`,
    );
    if (before) return { schoolId: planned.schoolId, fileName: planned.fileName, filePath: planned.filePath, recordType: spec.name, importedAt: before.imported_at };
  }
  onStart();
  // The plan read only the first bytes; map the columns again from the file as read.
  // Rows holding bytes that are not UTF-8 (in an otherwise UTF-8 file) are rejected, not guessed.
  const mapping = withUndecodableRejects(profile ? mapProfileColumns(spec, profile, source.headers) : mapCanonicalColumns(spec, source.headers), source);
  if (mapping.missingRequired.length > 0) {
    return {
      schoolId: planned.schoolId,
      fileName: planned.fileName,
      filePath: planned.filePath,
      profile: layoutName(planned.layout),
      reason:
        `missing required column${mapping.missingRequired.length > 1 ? 's' : ''} ${mapping.missingRequired.join(', ')}` +
        `${profile ? ` for profile ${profile.name} (${spec.name})` : ''}; columns found: ${source.headers.join(', ') || '(none)'}`,
    };
  }
  const window: WindowRule | undefined = options.windows?.[spec.name] ?? options.windows?.['*'];
  const report = await loadFile(connection, {
    schoolId: planned.schoolId,
    schoolKey: planned.schoolKey,
    spec,
    source,
    mapping,
    profile: layoutName(planned.layout),
    fileName: planned.fileName,
    importId,
    window,
    removalLimit: options.removalLimit,
    allowRemovals: options.allowRemovals,
  });
  logged.push({ report, size: source.sizeBytes, sha256: source.sha256, rule: window });
  return report;
}
