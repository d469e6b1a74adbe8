import { describe, expect, it } from 'vitest';
import type { IgnoredFile, PlannedFile, StoppedFile } from '../../data-loaders/ingest.ts';
import type { FileReport } from '../../data-loaders/load-file.ts';
import { fileLine, importProgress } from '../../src/cli/report-format.ts';

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

class FakeStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  columns = 200;
  write(s: string) {
    this.text += s;
    return true;
  }
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
    const progress = importProgress(out, err);
    progress.plan([planned, { ...planned, fileName: 'b.csv' }], []);
    progress.start(planned, 0, 2);
    expect(err.text).toMatch(/^\r\x1b\[K\[░{24}\]   0%  1\/2 files  DEMO1\/activity\.csv \(3\.0 MB\)  0\.\d s$/);
    progress.done(report);
    expect(err.text).toMatch(/\r\x1b\[K\r\x1b\[K\[█{12}░{12}\]  50%/);
    progress.finish();
    expect(err.text.endsWith('\r\x1b[K')).toBe(true);
    expect(out.text).toBe(`${fileLine(report)}\n`);
  });
});
