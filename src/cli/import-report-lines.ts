import path from 'node:path';
import type { FileReport } from '../../data-loaders/load-file.ts';
import type { IgnoredFile, ImportReport, PlannedFile, SkippedFile, StoppedFile } from '../../data-loaders/ingest.ts';
import { windowText } from '../../data-loaders/windows.ts';
// CommonJS without statically detectable named exports: Node's ESM loader gives only the default.
import cliProgress from 'cli-progress';

const { Format, SingleBar } = cliProgress;

const pad = (s: string | number, n: number) => String(s).padStart(n);
const fileLabel = (r: { schoolId: string; fileName: string }) => `${r.schoolId}/${r.fileName}`.padEnd(26);
/** How a file was read, when it was not a canonical file: `[classcharts-activity → behaviour]`. */
const via = (profile: string, recordType?: string) => (profile === 'canonical' ? '' : `  [${profile}${recordType ? ` → ${recordType}` : ''}]`);

/** One line per file: read = loaded + rejected, what loading changed, and the profile used. */
export function fileLine(r: FileReport | StoppedFile | IgnoredFile): string {
  if (!('rowsRead' in r)) {
    if ('profile' in r) return `  ${fileLabel(r)} STOPPED: ${r.reason}${via(r.profile)}`;
    return `  ${fileLabel(r)} IGNORED: ${r.reason}`;
  }
  const read = r.recordsInFile !== r.rowsRead ? `${pad(r.rowsRead, 8)} (${r.recordsInFile} records)` : pad(r.rowsRead, 8);
  return (
    `  ${fileLabel(r)} read ${read}  loaded ${pad(r.rowsLoaded, 8)}  rejected ${pad(r.rowsRejected, 6)}` +
    `   (new ${r.rowsNew}, changed ${r.rowsChanged}, unchanged ${r.rowsUnchanged}, removed ${r.rowsRemoved})${windowOf(r)}${via(r.profile, r.recordType)}`
  );
}

/** The dates a file covered, when it covered one window (`  window 2025-09-01..2026-07-22`). */
function windowOf(r: FileReport): string {
  const spans = [...new Set(r.windows.map((w) => windowText(w.from, w.to, w.full)))].filter((t) => t !== '');
  return spans.length === 1 ? `  window ${spans[0]}` : '';
}

/**
 * A file left alone because the same content was imported before. When that import rejected
 * rows, they are still missing (skipping does not try them again): the line says so, and how to
 * load them once their cause is fixed (a pupil's students.csv row corrected since, say):
 * `pastoral ingest` on the school folder, which skips nothing (`db`: the warehouse, when not the default).
 */
export function skippedLine(s: SkippedFile, db?: string): string {
  const line = `  ${fileLabel(s)} SKIPPED: imported before (${s.importedAt}), same content`;
  if (s.rejectedBefore === 0) return line;
  const arg = (a: string) => (/[\s"']/.test(a) ? `"${a}"` : a);
  const ingest = `pastoral ingest ${arg(path.dirname(s.filePath))}${db ? ` --db ${arg(db)}` : ''}`;
  return (
    `${line}; that import rejected ${s.rejectedBefore} row${s.rejectedBefore === 1 ? '' : 's'}${s.rejectedIn ? ` (listed in rejects-${s.rejectedIn}.csv and raw.rejects)` : ''}, ` +
    `still not loaded: once their cause is fixed (e.g. the pupils' rows in students.csv), load them with: ${ingest}`
  );
}

export function importSummary(report: ImportReport, maxRejectsShown = 20): string {
  const lines: string[] = [];
  for (const f of report.files) {
    for (const w of f.warnings) lines.push(`  warning: ${f.schoolId}/${f.fileName}: ${w}`);
  }
  const rejects = report.files.flatMap((f) => f.rejects.map((r) => ({ f, r })));
  if (rejects.length > 0) {
    lines.push(`Rejected rows (${rejects.length} problems${rejects.length > maxRejectsShown ? `, first ${maxRejectsShown} shown` : ''}):`);
    for (const { f, r } of rejects.slice(0, maxRejectsShown)) {
      lines.push(`  ${f.filePath}:${r.line ?? '?'}  ${r.column ?? '(row)'} = ${JSON.stringify(r.value)}: ${r.reason}`);
    }
  }
  if (report.rejectsCsv) lines.push(`All rejects: ${report.rejectsCsv}`);
  const totals = report.files.reduce(
    (t, f) => ({ read: t.read + f.rowsRead, loaded: t.loaded + f.rowsLoaded, rejected: t.rejected + f.rowsRejected, removed: t.removed + f.rowsRemoved }),
    { read: 0, loaded: 0, rejected: 0, removed: 0 },
  );
  const skipped = report.skipped?.length ?? 0;
  const ignored = report.ignored?.length ?? 0;
  lines.push(
    `${report.committed ? 'Imported' : 'Checked, nothing loaded'}: ${report.files.length} file(s), read ${totals.read} = ${report.committed ? 'loaded' : 'would load'} ${totals.loaded} + rejected ${totals.rejected}` +
      (totals.removed > 0 ? `; ${report.committed ? 'removed' : 'would remove'} ${totals.removed} no longer in the exports` : '') +
      (report.stopped.length > 0 ? `; ${report.stopped.length} file(s) stopped` : '') +
      (skipped > 0 ? `; ${skipped} file(s) skipped (imported before)` : '') +
      (ignored > 0 ? `; ${ignored} file(s) ignored` : ''),
  );
  return lines.join('\n');
}

/** What a long import shows while it runs (see importProgress). */
export interface ImportProgress {
  plan(files: readonly PlannedFile[], ignored: readonly IgnoredFile[]): void;
  start(file: PlannedFile, index: number, total: number): void;
  done(report: FileReport | StoppedFile): void;
  /** Clears the progress bar (call when the import ends, whether it succeeded or not). */
  finish(): void;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What the bar shows besides the share of bytes done. */
interface BarPayload {
  index: number;
  total: number;
  name: string;
  size: string;
  startedAt: number;
}

/**
 * Progress for `pastoral ingest` / `check`. File results go to `out` as plain lines in every
 * case. On a terminal, a bar (cli-progress) on `err` shows files and bytes done, the file being
 * loaded and how long it has taken so far, redrawn a few times a second while DuckDB works (it
 * runs off the JavaScript thread); it is cleared before each result line. When `err` is not a
 * terminal (a log file, a scheduled task) the bar draws nothing, and one plain line says which
 * file starts.
 */
export function importProgress(out: Stream, err: Stream): ImportProgress {
  const tty = err.isTTY === true;
  let totalBytes = 0;
  let doneBytes = 0;
  /** The size of the file being loaded, counted as done when its result comes. */
  let currentBytes = 0;
  const bar = new SingleBar({
    stream: err as unknown as NodeJS.WritableStream,
    barsize: 24,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: false,
    clearOnComplete: true,
    fps: 4,
    format: (options, params, payload: BarPayload) =>
      `[${Format.BarFormat(params.progress, options)}] ${pad(Math.round(params.progress * 100), 3)}%  ` +
      `${payload.index}/${payload.total} files  ${payload.name} (${payload.size})  ${((Date.now() - payload.startedAt) / 1000).toFixed(1)} s`,
  });

  return {
    plan(files, ignored) {
      totalBytes = files.reduce((n, f) => n + f.sizeBytes, 0);
      for (const f of ignored) out.write(`${fileLine(f)}\n`);
    },
    start(file, index, total) {
      currentBytes = file.sizeBytes;
      if (tty) {
        const payload: BarPayload = { index: index + 1, total, name: `${file.schoolId}/${file.fileName}`, size: megabytes(file.sizeBytes), startedAt: Date.now() };
        bar.start(totalBytes, doneBytes, payload);
      } else {
        err.write(`[${index + 1}/${total}] loading ${file.schoolId}/${file.fileName} (${megabytes(file.sizeBytes)})…\n`);
      }
    },
    done(report) {
      doneBytes += currentBytes;
      currentBytes = 0;
      bar.stop();
      out.write(`${fileLine(report)}\n`);
    },
    finish() {
      bar.stop();
    },
  };
}
