import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IgnoredFile, PlannedFile, StoppedFile } from '../../data-loaders/ingest.ts';
import type { FileReport } from '../../data-loaders/load-file.ts';
import { fileLine, importProgress } from '../../src/cli/import-report-lines.ts';

const report: FileReport = {
  schoolId: 'DEMO1',
  recordType: 'behaviour',
  fileName: 'activity.csv',
  filePath: '/x/activity.csv',
  encoding: 'utf-8',
  delimiter: ',',
  profile: 'classcharts-activity',
  recordsInFile: 6,
  rowsRead: 10,
  rowsLoaded: 7,
  rowsRejected: 3,
  rowsNew: 7,
  rowsChanged: 0,
  rowsUnchanged: 0,
  rowsRemoved: 0,
  windows: [],
  schools: ['DEMO1'],
  warnings: [],
  rejects: [],
};
const planned = { schoolId: 'DEMO1', fileName: 'activity.csv', filePath: '/x/activity.csv', sizeBytes: 3 * 1024 * 1024 } as PlannedFile;

/** Writes to both streams of one terminal, in order, each tagged with its stream. */
const terminal: Array<{ stream: FakeStream; text: string }> = [];

class FakeStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  columns = 200;
  write(s: string) {
    this.text += s;
    terminal.push({ stream: this, text: s });
    return true;
  }
}

/** What a terminal shows on the bar's line after `writes`: carriage moves, clears and text applied (enough for \x1b[1G, [0K, [2K). */
function barLine(writes: readonly string[]): string {
  let line = '';
  let col = 0;
  for (const w of writes) {
    if (w.endsWith('\n')) [line, col] = ['', 0]; // a result line: the bar's line is now the next one
    else if (w === '\x1b[1G') col = 0;
    else if (w === '\x1b[0K') line = line.slice(0, col);
    else if (w === '\x1b[2K') line = '';
    else if (w.startsWith('\x1b')) continue; // cursor save/restore, line wrapping off/on
    else {
      line = line.slice(0, col) + w + line.slice(col + w.length);
      col += w.length;
    }
  }
  return line;
}

describe('what a user sees per file', () => {
  it('one line per file: read = loaded + rejected, records when split, and the profile used', () => {
    expect(fileLine(report)).toBe(
      '  DEMO1/activity.csv         read       10 (6 records)  loaded        7  rejected      3   (new 7, changed 0, unchanged 0, removed 0)  [classcharts-activity → behaviour]',
    );
    const reconciled: FileReport = {
      ...report,
      profile: 'canonical',
      fileName: 'behaviour.csv',
      recordsInFile: 10,
      rowsNew: 1,
      rowsChanged: 2,
      rowsUnchanged: 4,
      rowsRemoved: 3,
      windows: [{ schoolId: 'DEMO1', from: '2025-09-01', to: '2026-07-22', full: false, held: 9, removed: 3 }],
    };
    expect(fileLine(reconciled)).toBe(
      '  DEMO1/behaviour.csv        read       10  loaded        7  rejected      3   (new 1, changed 2, unchanged 4, removed 3)  window 2025-09-01..2026-07-22',
    );
    expect(fileLine({ ...reconciled, windows: [{ ...reconciled.windows[0], from: null, to: null, full: true }] })).toContain('removed 3)  window full');
    const stopped: StoppedFile = { schoolId: 'S', fileName: 'behaviour.csv', filePath: '/x', profile: 'canonical', reason: 'missing required column student_id' };
    expect(fileLine(stopped)).toBe('  S/behaviour.csv            STOPPED: missing required column student_id');
    const ignored: IgnoredFile = { schoolId: 'S', fileName: 'notes.txt', filePath: '/x', reason: 'not a .csv file' };
    expect(fileLine(ignored)).toBe('  S/notes.txt                IGNORED: not a .csv file');
  });

  it('plain lines when not on a terminal: which file starts, then its result', () => {
    const out = new FakeStream(false);
    const err = new FakeStream(false);
    const progress = importProgress(out, err);
    progress.plan([planned], [{ schoolId: 'DEMO1', fileName: 'manifest.json', filePath: '/x', reason: 'not a .csv file' }]);
    progress.start(planned, 0, 1);
    progress.done(report);
    progress.finish();
    expect(err.text).toBe('[1/1] loading DEMO1/activity.csv (3.0 MB)…\n');
    expect(out.text).toBe(`  DEMO1/manifest.json        IGNORED: not a .csv file\n${fileLine(report)}\n`);
  });

  it('a bar on a terminal, cleared before each result line and at the end', () => {
    const out = new FakeStream(true);
    const err = new FakeStream(true);
    terminal.length = 0;
    const progress = importProgress(out, err);
    progress.plan([planned, { ...planned, fileName: 'b.csv' }], []);
    progress.start(planned, 0, 2);
    expect(out.text).toBe('');
    expect(barLine(terminal.map((w) => w.text))).toMatch(/^\[░{24}\]   0%  1\/2 files  DEMO1\/activity\.csv \(3\.0 MB\)  0\.\d s$/);
    progress.done(report);
    // The result line goes out only after the bar's line was cleared (the two streams share one terminal).
    const resultAt = terminal.findIndex((w) => w.stream === out);
    expect(resultAt).toBeGreaterThan(0);
    expect(barLine(terminal.slice(0, resultAt).map((w) => w.text))).toBe('');
    expect(out.text).toBe(`${fileLine(report)}\n`);
    progress.start({ ...planned, fileName: 'b.csv' }, 1, 2);
    expect(barLine(terminal.map((w) => w.text))).toMatch(/^\[█{12}░{12}\]  50%  2\/2 files  DEMO1\/b\.csv \(3\.0 MB\)  0\.\d s$/);
    progress.finish();
    expect(barLine(terminal.map((w) => w.text))).toBe('');
    expect(err.text.endsWith('\x1b[2K')).toBe(true);
    expect(out.text).toBe(`${fileLine(report)}\n`);
  });

  it('draws the bar in plain Node too (not only under vitest: cli-progress is CommonJS, imported from ESM)', () => {
    const module = pathToFileURL(fileURLToPath(new URL('../../src/cli/import-report-lines.ts', import.meta.url))).href;
    const script = `const { importProgress } = await import(${JSON.stringify(module)});
      let text = '';
      const err = { isTTY: true, columns: 120, write: (s) => { text += s; return true; } };
      const out = { isTTY: true, write: () => true };
      const p = importProgress(out, err);
      const f = { schoolId: 'S', fileName: 'a.csv', filePath: '/x', sizeBytes: 1024 };
      p.plan([f], []);
      p.start(f, 0, 1);
      p.finish();
      process.stdout.write(text);`;
    const tsx = pathToFileURL(fileURLToPath(import.meta.resolve('tsx/esm'))).href;
    const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('1/1 files  S/a.csv (0.0 MB)');
  });
});
