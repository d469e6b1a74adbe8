import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { judgeEncoding } from '../../data-loaders/encoding.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const utf8 = (text: string) => Buffer.from(text, 'utf-8');
const cp1252 = (text: string) => Buffer.from(text, 'latin1'); // the test texts use only Latin-1 letters (and £), the same in 1252
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Ë as Windows-1252 writes it: one byte, never valid UTF-8 before a comma or letter. */
const STRAY = Buffer.from([0xeb]);

/** A school folder holding the given files (bytes as given), in a fresh temporary folder. */
function school(files: Record<string, Buffer>): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-enc-')), 'school');
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
  return dir;
}

describe('judgeEncoding: decided per file on evidence', () => {
  it.each([
    ['clean UTF-8', utf8('id,name\n1,Zoë Núñez\n'), 'utf-8'],
    ['UTF-8 with a byte-order mark', Buffer.concat([BOM, utf8('id,name\n1,Zoë\n')]), 'utf-8-bom'],
    ['Windows-1252 (é, £ as single bytes)', cp1252('id,name,note\n1,Renée,owes £5\n2,Zoë,\n'), 'windows-1252'],
    ['plain ASCII but one stray byte', Buffer.concat([utf8('id,name\n1,Zo'), STRAY, utf8('\n')]), 'windows-1252'],
    ['UTF-8 accents and one stray byte', Buffer.concat([utf8('id,name\n1,Zoë\n2,Zo'), STRAY, utf8('\n3,Núñez\n')]), 'utf-8'],
    ['UTF-8, one accent, one stray byte (a tie is UTF-8)', Buffer.concat([utf8('id,name\n1,Zoë\n2,Zo'), STRAY, utf8('\n')]), 'utf-8'],
    ['a byte-order mark and only stray bytes', Buffer.concat([BOM, utf8('id,name\n1,Zo'), STRAY, STRAY, utf8('\n')]), 'utf-8-bom'],
    // "É£" happens to be a well-formed UTF-8 pair (U+0263); the many single é, ë, £ outweigh it.
    ['Windows-1252 with one pair that is also UTF-8', cp1252('id,name,note\n1,Renée,RÉ£\n2,Zoë,£5\n3,Chloé,\n'), 'windows-1252'],
  ])('%s → %s', (_, bytes, encoding) => {
    expect(judgeEncoding(bytes).encoding).toBe(encoding);
  });

  it('counts the evidence: well-formed multi-byte sequences and broken ones', () => {
    const bytes = Buffer.concat([utf8('Zoë Núñez '), STRAY, utf8(' €'), Buffer.from([0xe2, 0x82])]);
    expect(judgeEncoding(bytes)).toEqual({ encoding: 'utf-8', validSequences: 4, invalidSequences: 2 });
  });
});

describe('a UTF-8 export with one bad byte: that row is rejected, nothing else is mangled', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
  });
  afterEach(() => warehouse.close());

  it('loads every accented name as written, rejects the bad row with line, column and reason, and says so', async () => {
    const students = Buffer.concat([
      utf8('student_id,first_name,last_name,year_group\nP1,Zoë,Núñez,9\nP2,Siân,O’Neill,10\nP3,Zo'),
      STRAY,
      utf8(',Brennan,7\nP4,Renée,"Müller, Jr",8\n'),
    ]);
    const behaviour = utf8('event_id,student_id,date,category,comment\nB1,P1,2025-09-03,Praise,Très bien\nB2,P4,2025-09-03,Lateness,\n');
    const report = await ingest(warehouse.connection, [school({ 'students.csv': students, 'behaviour.csv': behaviour })]);
    const file = report.files.find((f) => f.fileName === 'students.csv');
    expect([file?.encoding, file?.rowsRead, file?.rowsLoaded, file?.rowsRejected]).toEqual(['utf-8', 4, 3, 1]);
    expect(file?.rejects).toEqual([
      {
        line: 4,
        column: 'first_name',
        value: 'Zo\uFFFD',
        reason: 'not valid UTF-8: a byte here is not UTF-8 (shown as \uFFFD); the rest of the file is UTF-8, so correct this value and save the file as UTF-8',
      },
    ]);
    expect(file?.warnings).toContain(
      'file is UTF-8 (7 accented or other multi-byte characters) apart from 1 byte that is not, on line 4: that row is rejected, the rest is read as UTF-8',
    );
    const rows = await queryRows(warehouse.connection, 'SELECT student_id, first_name, last_name FROM raw.students ORDER BY student_id');
    expect(rows).toEqual([
      { student_id: 'P1', first_name: 'Zoë', last_name: 'Núñez' },
      { student_id: 'P2', first_name: 'Siân', last_name: 'O’Neill' },
      { student_id: 'P4', first_name: 'Renée', last_name: 'Müller, Jr' },
    ]);
    const [comment] = await queryRows<{ comment: string }>(warehouse.connection, "SELECT comment FROM raw.behaviour WHERE event_id = 'B1'");
    expect(comment.comment).toBe('Très bien');
    const [stored] = await queryRows<{ line: number; reason: string }>(warehouse.connection, 'SELECT line, reason FROM raw.rejects');
    expect(stored.line).toBe(4);
  });

  it('reports each bad line, also inside a quoted multi-line comment, and keeps the good rows of a large clean-looking file', async () => {
    const lines = ['event_id,student_id,date,category,comment'];
    for (let i = 1; i <= 200; i++) lines.push(`B${i},P1,2025-09-03,Praise,Très bien ${i}`);
    const behaviour = Buffer.concat([
      utf8(`${lines.join('\n')}\nB201,P1,2025-09-03,Praise,"two\nlines `),
      STRAY,
      utf8('"\nB202,P1,2025-09-03,Pr'),
      STRAY,
      utf8('ise,ok\nB203,P1,2025-09-03,Praise,Café\n'),
    ]);
    const report = await ingest(warehouse.connection, [
      school({ 'students.csv': utf8('student_id,first_name,year_group\nP1,Zoë,9\n'), 'behaviour.csv': behaviour }),
    ]);
    const file = report.files.find((f) => f.fileName === 'behaviour.csv');
    expect([file?.encoding, file?.rowsRead, file?.rowsLoaded, file?.rowsRejected]).toEqual(['utf-8', 203, 201, 2]);
    expect(file?.rejects.map((r) => [r.line, r.column, r.value])).toEqual([
      [202, 'comment', 'two\nlines \uFFFD'],
      [204, 'category', 'Pr\uFFFDise'],
    ]);
    expect(file?.warnings.some((w) => w.includes('apart from 2 bytes that are not, on lines 203, 204:'))).toBe(true);
    const [n] = await queryRows<{ n: number }>(warehouse.connection, "SELECT count(*)::INTEGER AS n FROM raw.behaviour WHERE comment LIKE 'Très bien %' OR comment = 'Café'");
    expect(n.n).toBe(201);
  });

  it('still reads a real Windows-1252 export (SIMS-style £ and é) as 1252, with a warning', async () => {
    const students = cp1252('Student ID,Forename,Surname,Year\r\nP1,Renée,Núñez,Year 9\r\nP2,Zoë,Brontë,Y10\r\n');
    const behaviour = cp1252('event_id,student_id,date,category,comment\r\nB1,P1,03/09/2025,Property,Lost £5 dinner money in the café; RÉ£ on the bag\r\n');
    const report = await ingest(warehouse.connection, [school({ 'students.csv': students, 'behaviour.csv': behaviour })]);
    expect(report.files.map((f) => [f.fileName, f.encoding, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['students.csv', 'windows-1252', 2, 0],
      ['behaviour.csv', 'windows-1252', 1, 0],
    ]);
    expect(report.files[0].warnings).toContain('file is Windows-1252, not UTF-8: decoded as Windows-1252');
    const names = await queryRows(warehouse.connection, 'SELECT first_name, last_name FROM raw.students ORDER BY student_id');
    expect(names).toEqual([
      { first_name: 'Renée', last_name: 'Núñez' },
      { first_name: 'Zoë', last_name: 'Brontë' },
    ]);
    const [b1] = await queryRows<{ comment: string }>(warehouse.connection, 'SELECT comment FROM raw.behaviour');
    expect(b1.comment).toBe('Lost £5 dinner money in the café; RÉ£ on the bag');
  });
});

describe('decoded copies of Windows-1252 and part-UTF-8 files are deleted', () => {
  let warehouse: Warehouse;
  let tempDir: string;
  const saved: Record<string, string | undefined> = {};
  const TEMP_VARS = ['TMPDIR', 'TEMP', 'TMP'];
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    exportDir = makeFolder();
    // The copies go to the operating system's temporary folder: point it at one of our own.
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-copies-'));
    for (const v of TEMP_VARS) {
      saved[v] = process.env[v];
      process.env[v] = tempDir;
    }
  });
  afterEach(() => {
    for (const v of TEMP_VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    warehouse.close();
  });

  let exportDir: string;
  const folder = () => exportDir;
  const makeFolder = () =>
    school({
      'students.csv': cp1252('student_id,first_name,year_group\r\nP1,Renée,9\r\nP2,Zoë,10\r\n'),
      'behaviour.csv': Buffer.concat([utf8('event_id,student_id,date,category,comment\nB1,P1,2025-09-03,Praise,Très bien\nB2,P2,2025-09-03,Pr'), STRAY, utf8('ise,ok\n')]),
    });

  it('after a successful import', async () => {
    expect(os.tmpdir()).toBe(tempDir);
    const copies: string[] = [];
    const report = await ingest(warehouse.connection, [folder()], {
      // While the file is loaded its copy exists (so the test would see one left behind).
      afterFile: () => {
        copies.push(...readdirSync(tempDir));
      },
    });
    expect(report.files.map((f) => [f.fileName, f.encoding, f.rowsLoaded])).toEqual([
      ['students.csv', 'windows-1252', 2],
      ['behaviour.csv', 'utf-8', 1],
    ]);
    expect(copies.map((c) => c.replace(/-[^-]+$/, ''))).toEqual(['pastoral-1252', 'pastoral-utf8']);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('after an import that fails part way (nothing loaded, no copy left)', async () => {
    await expect(
      ingest(warehouse.connection, [folder()], {
        afterFile: () => {
          throw new Error('stopped for the test');
        },
      }),
    ).rejects.toThrow('stopped for the test');
    expect(readdirSync(tempDir)).toEqual([]);
    const [n] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.students');
    expect(n.n).toBe(0);
  });
});
