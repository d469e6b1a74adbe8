import type { FileReport } from '../../data-loaders/load-file.ts';
import type { ImportReport, StoppedFile } from '../../data-loaders/ingest.ts';

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** One line per file: read = loaded + rejected, and what loading changed. */
export function fileLine(r: FileReport | StoppedFile): string {
  if ('reason' in r) return `  ${r.schoolId}/${r.fileName.padEnd(18)} STOPPED: ${r.reason}`;
  return `  ${r.schoolId}/${r.fileName.padEnd(18)} read ${pad(r.rowsRead, 8)}  loaded ${pad(r.rowsLoaded, 8)}  rejected ${pad(r.rowsRejected, 6)}   (new ${r.rowsNew}, changed ${r.rowsChanged}, unchanged ${r.rowsUnchanged})`;
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
    (t, f) => ({ read: t.read + f.rowsRead, loaded: t.loaded + f.rowsLoaded, rejected: t.rejected + f.rowsRejected }),
    { read: 0, loaded: 0, rejected: 0 },
  );
  lines.push(
    `${report.committed ? 'Imported' : 'Checked, nothing loaded'}: ${report.files.length} file(s), read ${totals.read} = ${report.committed ? 'loaded' : 'would load'} ${totals.loaded} + rejected ${totals.rejected}` +
      (report.stopped.length > 0 ? `; ${report.stopped.length} file(s) stopped` : ''),
  );
  return lines.join('\n');
}
