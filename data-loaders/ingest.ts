import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECTED_PUPILS } from './checks.ts';
import { layoutName } from './choose-layout.ts';
import { mapCanonicalColumns, mapProfileColumns } from './column-mapping.ts';
import { recordImports, writeRejectsCsv, type LoggedFile } from './import-log.ts';
import { holdingRows, loadBatch } from './load-batch.ts';
import { loadFile, type FileReport } from './load-file.ts';
import type { LoadContext } from './file-plan.ts';
import { planImport, typeRank, type IgnoredFile, type PlannedFile } from './plan-import.ts';
import { ensureRawSchema, keySchools, moveOldRawTables } from './raw-schema.ts';
import type { ByteScan } from './scan-bytes.mjs';
import { ByteScanner, inspectSourceFile, notCsvText, withUndecodableRejects, type SourceFile } from './source-file.ts';
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
  /**
   * Rows the latest earlier import of the same content rejected (0 when it rejected none, or the
   * content was loaded earlier in this import, whose report shows its rejects): still not loaded,
   * as skipping the file does not try them again.
   */
  rejectedBefore: number;
  /** That earlier import (its rejects are in raw.rejects and rejects-<id>.csv), or null. */
  rejectedIn: string | null;
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
 * other files can be checked against the pupils of the same import; files load record type by
 * record type, one type's small files of several schools in one batch where they can
 * (load-batch.ts), each reported as if loaded alone; the report lists them in the plan's order.
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
  // The pupils whose students.csv row this import rejects, for their other rows' rejects (checks.ts).
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${REJECTED_PUPILS} (rp_school VARCHAR, rp_pupil VARCHAR, rp_said VARCHAR)`);
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
  // Files load record type by record type (students first: every other file is checked against
  // the pupils), so that one type's small files of several schools can load together (loadBatch).
  const order = typeMajorOrder(plan.files);
  // Scans are asked for SCANS_AHEAD files ahead, so the worker keeps working through small files'
  // loads (a large file after a few small ones is scanned while they load, not after).
  const scans = new Map<number, Promise<ByteScan>>();
  let asked = 0;
  const scanUpTo = (last: number) => {
    for (; asked <= Math.min(last, order.length - 1); asked++) {
      const scan = scanner.scan(plan.files[order[asked]].filePath);
      // Settled later (awaited) or never (the import failed first): never an unhandled rejection.
      scan.catch(() => {});
      scans.set(asked, scan);
    }
  };
  // The loaded files, logged in one statement before the COMMIT (recordImports).
  const logged: LoggedFile[] = [];
  // Each outcome with its file's place in the plan: the report lists them in the plan's order.
  const outcomes: Array<{ at: number; done: FileReport | StoppedFile | SkippedFile }> = [];
  const finish = async (at: number, done: FileReport | StoppedFile | SkippedFile) => {
    outcomes.push({ at, done });
    if ('importedAt' in done) options.onSkip?.(done);
    else options.onFileDone?.(done);
    if (!('importedAt' in done) && !('reason' in done)) await options.afterFile?.(done);
  };
  // Files are started in the order they load (type by type), numbered so.
  let startedFiles = 0;
  const start = (planned: PlannedFile) => options.onFileStart?.(planned, startedFiles++, plan.files.length);
  // The files of a type kept for a batch (their decoded copies removed once loaded, or if the import fails).
  let held: ReadyFile[] = [];
  // A file loaded (alone or in a batch): logged for the COMMIT, reported, then its decoded copy let go.
  const loaded = async (ready: ReadyFile, report: FileReport) => {
    logged.push({ report, size: ready.source.sizeBytes, sha256: ready.source.sha256, rule: ready.context.window });
    await rememberRejectedPupils(connection, report);
    try {
      await finish(ready.at, report);
    } finally {
      ready.source.removeCopy();
    }
  };
  // Loads one prepared file alone (its decoded copy let go even if the load fails).
  const loadAlone = async (ready: ReadyFile, started: boolean) => {
    try {
      if (!started) start(ready.planned);
      await threads.forFile(ready.planned.sizeBytes);
      await loaded(ready, await loadFile(connection, ready.context));
    } finally {
      ready.source.removeCopy();
    }
  };
  // Loads files of one type and layout, from several schools, in one batch where they can be (the
  // schools hold rows of the type already, and nothing is rejected: load-batch.ts), else each alone.
  const loadTogether = async (group: readonly ReadyFile[]) => {
    // One school's file (a one-school import): nothing to batch, and no query to ask.
    const holding = group.length < 2 ? group.map(() => false) : await holdingRows(connection, group.map((r) => r.context));
    const batch = group.filter((_, i) => holding[i]);
    for (const ready of group.filter((_, i) => !holding[i] || batch.length < 2)) await loadAlone(ready, false);
    if (batch.length < 2) return;
    for (const ready of batch) start(ready.planned);
    await threads.forFile(batch.reduce((n, r) => n + r.planned.sizeBytes, 0));
    const reports = await loadBatch(connection, batch.map((r) => r.context));
    for (const [i, ready] of batch.entries()) await (reports ? loaded(ready, reports[i]) : loadAlone(ready, true));
  };
  try {
    // The schools' numbers in the stored rows (raw-schema.ts), given once for the import.
    const schoolKeys = await keySchools(connection, plan.files.map((f) => f.schoolId));
    // Each (school, content) loaded or to be loaded in this import, for skipImported (logged at its end).
    const seen = new Set<string>();
    const alone = schoolsWithSeveral(plan.files);
    for (let from = 0; from < order.length; ) {
      const type = plan.files[order[from]].layout.spec.name;
      let to = from;
      while (to < order.length && plan.files[order[to]].layout.spec.name === type) to++;
      // This type's files that may load in a batch, kept until the type's other files are loaded.
      held = [];
      for (let k = from; k < to; k++) {
        const at = order[k];
        const planned = { ...plan.files[at], schoolKey: schoolKeys.get(plan.files[at].schoolId) as number };
        scanUpTo(k + SCANS_AHEAD);
        const scan = await (scans.get(k) as Promise<ByteScan>);
        scans.delete(k);
        // A workbook or UTF-16 file saved as behaviour.csv: stopped, saying what it is (DuckDB's
        // reader would stop the whole import, naming no file).
        const notText = notCsvText(scan.head);
        if (notText) {
          start(planned);
          await finish(at, { schoolId: planned.schoolId, fileName: planned.fileName, filePath: planned.filePath, profile: layoutName(planned.layout), reason: notText });
          continue;
        }
        const source = inspectSourceFile(planned.filePath, scan);
        let ready: ReadyFile | null = null;
        try {
          const prepared = await prepareFile(connection, planned, source, importId, options, seen);
          if ('context' in prepared) {
            ready = { ...prepared, at, planned, source };
            seen.add(seenKey(planned.schoolId, source.sha256));
          } else {
            if ('reason' in prepared) start(planned);
            await finish(at, prepared);
          }
        } finally {
          if (!ready) source.removeCopy();
        }
        if (!ready) continue;
        if (mayBatch(ready, alone)) held.push(ready);
        else await loadAlone(ready, false);
      }
      for (const group of batchGroups(held)) await loadTogether(group);
      from = to;
    }
    outcomes.sort((a, b) => a.at - b.at);
    for (const { done } of outcomes) {
      if ('importedAt' in done) skipped.push(done);
      else if ('reason' in done) stopped.push(done);
      else files.push(done);
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
    for (const ready of held) ready.source.removeCopy();
    scanner.close();
    await connection.run(`DROP TABLE IF EXISTS ${REJECTED_PUPILS}`).catch(() => {});
    // What runs next on this warehouse (the models, in a refresh) has every thread again. After a
    // failure, the failure is what the caller must see, not a second error from here.
    await threads.restore().catch(() => {});
  }
  const rejectsCsv = options.rejectsDir ? writeRejectsCsv(options.rejectsDir, importId, files) : null;
  return { importId, committed: !options.dryRun, files, stopped, ignored: plan.ignored, skipped, rejectsCsv };
}

/**
 * Keeps the pupils whose students.csv row a file rejected (REJECTED_PUPILS, checks.ts), with
 * where and why: their behaviour, attendance and other rows are then rejected saying so, not
 * "not in students.csv" (the pupil is in the file; the row was rejected). Students load first.
 */
async function rememberRejectedPupils(connection: DuckDBConnection, report: FileReport): Promise<void> {
  const byPupil = new Map<string, { schoolId: string; studentId: string; line: number | null; problems: string[] }>();
  for (const { schoolId, studentId, reject: r } of report.rejectedPupils ?? []) {
    const key = JSON.stringify([schoolId, studentId]);
    const at = byPupil.get(key) ?? { schoolId, studentId, line: r.line, problems: [] };
    at.problems.push(`${r.column ?? 'row'}${r.value === null ? '' : ` '${r.value}'`}: ${r.reason}`);
    byPupil.set(key, at);
  }
  if (byPupil.size === 0) return;
  const rows = [...byPupil.values()].map((p) => {
    const said = `${report.fileName} was rejected (${p.line === null ? '' : `line ${p.line}: `}${p.problems.join('; ')})`;
    return `(${literal(p.schoolId)}, ${literal(p.studentId)}, ${literal(said)})`;
  });
  await connection.run(`INSERT INTO ${REJECTED_PUPILS} VALUES ${rows.join(', ')}`);
}

/** A file ready to load: its plan, its bytes as read, how to load it, and its place in the plan. */
interface ReadyFile {
  at: number;
  planned: PlannedFile & { schoolKey: number };
  source: SourceFile;
  context: LoadContext;
}

/**
 * One planned file, inside the import's transaction: skipped (its content was imported before,
 * or earlier in this import, with skipImported: `seen`), stopped (a required column is missing),
 * or how to load it.
 */
async function prepareFile(
  connection: DuckDBConnection,
  planned: PlannedFile & { schoolKey: number },
  source: SourceFile,
  importId: string,
  options: IngestOptions,
  seen: ReadonlySet<string>,
): Promise<{ context: LoadContext } | StoppedFile | SkippedFile> {
  const { spec, profile } = planned.layout;
  if (options.skipImported) {
    const earlier = seen.has(seenKey(planned.schoolId, source.sha256));
    const [before] = await queryRows<{ imported_at: string; rejected: number; import_id: string | null }>(
      connection,
      earlier
        ? "SELECT strftime(current_localtimestamp(), '%Y-%m-%d %H:%M') AS imported_at, 0 AS rejected, NULL::VARCHAR AS import_id"
        : // The latest import of this content says what is still missing of it: its rejected rows.
          `SELECT strftime(min(imported_at), '%Y-%m-%d %H:%M') AS imported_at,
             coalesce(arg_max(rows_rejected, imported_at), 0)::INTEGER AS rejected, arg_max(import_id, imported_at) AS import_id
           FROM raw.import_log
           WHERE school_id = ${literal(planned.schoolId)} AND sha256 = ${literal(source.sha256)} HAVING count(*) > 0`,
    );
    if (before) {
      return {
        schoolId: planned.schoolId,
        fileName: planned.fileName,
        filePath: planned.filePath,
        recordType: spec.name,
        importedAt: before.imported_at,
        rejectedBefore: before.rejected,
        rejectedIn: before.rejected > 0 ? before.import_id : null,
      };
    }
  }
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
  return {
    context: {
      schoolId: planned.schoolId,
      schoolKey: planned.schoolKey,
      spec,
      source,
      mapping,
      profile: layoutName(planned.layout),
      fileName: planned.fileName,
      importId,
      window: options.windows?.[spec.name] ?? options.windows?.['*'],
      removalLimit: options.removalLimit,
      allowRemovals: options.allowRemovals,
    },
  };
}

const seenKey = (schoolId: string, sha256: string) => `${schoolId}\u0000${sha256}`;

/** Files of this size or more are loaded alone: a batch is for the small files of a weekly import. */
const BATCH_BELOW_BYTES = 4 * 1024 * 1024;

/**
 * The plan's files (their indexes) record type by record type, in the plan's order of types
 * (typeRank: students, the calendar, then the rest) and, within a type, in the plan's order. A
 * file is checked against its own school's pupils only, so loading school A's behaviour before
 * school B's pupils changes nothing.
 */
function typeMajorOrder(files: readonly PlannedFile[]): number[] {
  return files.map((_, i) => i).sort((a, b) => typeRank(files[a]) - typeRank(files[b]) || a - b);
}

/** A school's files of one record type. */
const schoolType = (file: PlannedFile) => `${file.schoolId}\u0000${file.layout.spec.name}`;

/** schoolType of each school with several files of one record type: they load alone, in order. */
function schoolsWithSeveral(files: readonly PlannedFile[]): Set<string> {
  const count = new Map<string, number>();
  for (const f of files) count.set(schoolType(f), (count.get(schoolType(f)) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n > 1).map(([k]) => k));
}

/**
 * Whether a file may be loaded in a batch (load-batch.ts): a small file, its school's only one of
 * its type, whose rows are one pupil each of its folder's school, with nothing the checked path
 * works out per file (rows naming their school or several pupils, pupils named, undecodable bytes).
 */
function mayBatch(ready: ReadyFile, alone: ReadonlySet<string>): boolean {
  const { mapping } = ready.context;
  return (
    ready.planned.sizeBytes < BATCH_BELOW_BYTES &&
    !alone.has(schoolType(ready.planned)) &&
    !mapping.school &&
    !mapping.split &&
    !mapping.pupilByName &&
    mapping.rowRejects.length === 0
  );
}

/** Files read the same way (one profile, the same headers and delimiter, so one mapping), in load order. */
function batchGroups(files: readonly ReadyFile[]): ReadyFile[][] {
  const groups = new Map<string, ReadyFile[]>();
  for (const f of files) {
    const key = JSON.stringify([f.context.profile, f.source.delimiter, f.source.headers]);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}
