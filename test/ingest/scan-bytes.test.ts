import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanBytes } from '../../data-loaders/scan-bytes.mjs';
import { ByteScanner, inspectSourceFile } from '../../data-loaders/source-file.ts';

// The streamed scan (in chunks, in a worker thread) must say of a file exactly what the whole
// buffer says: the same SHA-256, UTF-8 or not, the same line breaks. The reference below is the
// count ingest made on the whole file before the scan was streamed.

/** Each LF, and each CR not followed by LF (the whole-buffer count ingest used before). */
function lineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n += 1;
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) if (bytes[i + 1] !== 0x0a) n += 1;
  return n;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-scan-'));
let written = 0;
function file(bytes: Buffer): string {
  const p = path.join(dir, `f${written++}.csv`);
  writeFileSync(p, bytes);
  return p;
}

const u = (s: string) => Buffer.from(s, 'utf-8');
const CASES: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['LF lines, last one ended', u('a,b\n1,2\n3,4\n')],
  ['LF lines, last one not ended', u('a,b\n1,2\n3,4')],
  ['CRLF lines', u('a,b\r\n1,2\r\n3,4\r\n')],
  ['lone CRs (old Mac)', u('a,b\r1,2\r3,4\r')],
  ['a lone CR last', u('a,b\n1,2\r')],
  ['mixed, blank lines, quoted line breaks', u('a,b\r\n"x\r\ny",2\n\n\r\r\n3,"4\n"\r')],
  ['a byte-order mark and accents', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), u('id,name\r\n1,Zoë Núñez €5 😀\r\n2,Łukasz\r\n')])],
  ['only multi-byte characters', u('éééééééééé€€€€€😀😀😀ñ\n')],
  ['a stray Windows-1252 byte', Buffer.concat([u('id,name\n1,Zo'), Buffer.from([0xeb]), u('\n2,Zoë\n')])],
  ['a character cut short by a line break', Buffer.concat([u('a\n'), Buffer.from([0xe2, 0x82]), u('\nb\n')])],
  ['a character cut short at the end', Buffer.concat([u('a,b\n1,€'), Buffer.from([0xe2, 0x82])])],
  ['a lone continuation byte first', Buffer.concat([Buffer.from([0x80]), u('a\n')])],
  ['an overlong encoding', Buffer.concat([u('a,'), Buffer.from([0xc0, 0xaf]), u('\n')])],
];

describe('scanBytes: one streamed pass says what the whole buffer says', () => {
  it.each(CASES)('%s, at every chunk size', (_, bytes) => {
    const p = file(bytes);
    const expected = {
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      utf8: isUtf8(bytes),
      breaks: lineBreaks(bytes),
      lf: bytes.filter((b) => b === 0x0a).length,
      crlf: bytes.filter((b, i) => b === 0x0d && bytes[i + 1] === 0x0a).length,
      lastByte: bytes.length > 0 ? bytes[bytes.length - 1] : -1,
    };
    // Chunk boundaries at every offset of the small files: inside CRLFs and multi-byte characters.
    for (const chunk of [1, 2, 3, 4, 5, 7, 16, 1024]) {
      const { head, ...scan } = scanBytes(p, 10, chunk);
      expect({ chunk, ...scan }).toEqual({ chunk, ...expected });
      expect(head.equals(bytes.subarray(0, 10))).toBe(true);
    }
  });

  it('a 1252 file and a file with no ASCII for several chunks', () => {
    const big = Buffer.concat([u('id,name\n'), u('é'.repeat(5000)), Buffer.from([0xe9]), u('\n')]);
    for (const chunk of [3, 4096]) expect(scanBytes(file(big), 64, chunk).utf8).toBe(false);
    const fine = Buffer.concat([u('id,name\n'), u('é'.repeat(5000)), u('\n')]);
    for (const chunk of [3, 4096]) expect(scanBytes(file(fine), 64, chunk).utf8).toBe(true);
  });
});

describe('ByteScanner: the scan made ahead of the load', () => {
  it.each([
    ['in a worker thread', true],
    ['in this thread (a small import)', false],
  ])('%s gives the source file inspectSourceFile alone gives, for every case', async (_, inWorker) => {
    const scanner = new ByteScanner({ inWorker });
    try {
      const paths = CASES.map(([, bytes]) => file(Buffer.concat([u('id,name\n'), bytes])));
      // All asked for at once, answered in order.
      const scans = await Promise.all(paths.map((p) => scanner.scan(p)));
      for (const [i, p] of paths.entries()) {
        const viaWorker = inspectSourceFile(p, scans[i]);
        const here = inspectSourceFile(p);
        try {
          const fields = (s: typeof here) => ({
            encoding: s.encoding,
            delimiter: s.delimiter,
            headers: s.headers,
            sample: s.sample,
            sizeBytes: s.sizeBytes,
            sha256: s.sha256,
            recordsAtMost: s.recordsAtMost,
            invalidBytes: s.invalidBytes,
            warnings: s.warnings,
            text: s.text,
          });
          expect(fields(viaWorker)).toEqual(fields(here));
        } finally {
          viaWorker.removeCopy();
          here.removeCopy();
        }
      }
    } finally {
      scanner.close();
    }
  });

  it("a missing file is the file's error, not the worker's", async () => {
    const scanner = new ByteScanner();
    try {
      await expect(scanner.scan(path.join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
      // The worker is still there for the next file.
      expect((await scanner.scan(file(u('a\n1\n')))).breaks).toBe(2);
    } finally {
      scanner.close();
    }
  });
});
