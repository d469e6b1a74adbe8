import { closeSync, copyFileSync, linkSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Papa from 'papaparse';
import { scanBytes, type ByteScan } from './scan-bytes.mjs';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { decodeAs, judgeEncoding, linesWithReplacement, REPLACEMENT, type Encoding } from './encoding.ts';
import { unifiedLineBreaks } from './record-lines.ts';
import { ident, literal } from '../src/warehouse/warehouse.ts';

export type Delimiter = ',' | ';' | '\t';

/** What we learn about an export before DuckDB reads it. */
export interface SourceFile {
  /** The file as the user named it. */
  readonly originalPath: string;
  /**
   * A UTF-8 file DuckDB can read: the original, or a transcoded temporary copy, or (a path holding
   * glob characters: literalPathOf) a link or copy under a plain name.
   */
  readonly readablePath: string;
  readonly encoding: Encoding;
  readonly delimiter: Delimiter;
  readonly headers: readonly string[];
  /**
   * The first records after the header (up to SAMPLE_ROWS, from the file's first 64 KB), cells as
   * written: enough to see which columns hold plain ISO dates and whole numbers, which the direct
   * path then lets DuckDB's reader type (file-plan.ts, `typedColumns`).
   */
  readonly sample: readonly (readonly string[])[];
  readonly sizeBytes: number;
  readonly sha256: string;
  /**
   * At most this many records follow the header: the line breaks of the file (LF, CRLF or a
   * lone CR), plus a last line without one, minus the header. Quoted line breaks and blank
   * lines make it larger than the real count, never smaller.
   */
  readonly recordsAtMost: number;
  /** Decoded text, kept so rejected records can be mapped back to physical lines. */
  readonly text: string;
  /**
   * Bytes of a UTF-8 file that are not UTF-8 (0 for a clean file and for a Windows-1252 one).
   * They reach DuckDB as U+FFFD, and the rows holding them are rejected (withUndecodableRejects).
   */
  readonly invalidBytes: number;
  /** What the user should know about how the file was decoded (printed with the file's report). */
  readonly warnings: readonly string[];
  /** Deletes the decoded temporary copy, if one was made (call when the file is done, loaded or not). */
  removeCopy(): void;
}

/** Enough of a file to read its header row (and sniff its encoding) without reading it all. */
const HEAD_BYTES = 64 * 1024;

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** Records sampled after the header (see SourceFile.sample). */
const SAMPLE_ROWS = 200;

/**
 * The header row, cells trimmed, and the delimiter: Papa Parse's guess from the first rows (the
 * candidate that splits them into the most consistent number of fields, more than one), comma
 * when none does. Quotes are respected, so a comma inside a quoted cell of a semicolon export
 * does not count; a byte-order mark is ignored.
 */
function headerOf(text: string, sampleRows = 0): { delimiter: Delimiter; headers: string[]; sample: string[][] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Blank lines (the one after the last row, above all) are left out of the guess only: a blank
  // first line is still the header, as DuckDB will read it.
  const guess = Papa.parse<string[]>(body, { delimitersToGuess: [...DELIMITERS], skipEmptyLines: true, preview: 1 }).meta.delimiter;
  const delimiter = DELIMITERS.find((d) => d === guess) ?? ',';
  // The header, then the sample: records after it, the last one left out (the head may cut it).
  const rows = Papa.parse<string[]>(body, { delimiter, preview: sampleRows + 2 }).data;
  return { delimiter, headers: (rows[0] ?? []).map((h) => h.trim()), sample: rows.slice(1, Math.max(1, rows.length - 1)).filter((r) => r.length > 1 || r[0] !== '') };
}

/**
 * Why a file is not CSV text this import can read, from its first bytes, or null: a workbook
 * renamed or saved as .csv (its bytes would reach DuckDB's reader, which stops the whole import,
 * and its "headers" would print as binary), or UTF-16 text (Excel's "Unicode Text"), which is
 * neither UTF-8 nor Windows-1252.
 */
export function notCsvText(head: Uint8Array): string | null {
  const save = "open it in Excel and save it as 'CSV UTF-8 (Comma delimited)'";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return `not a CSV file: an Excel workbook (.xlsx) or another zip file; ${save}`;
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return `not a CSV file: an Excel 97-2003 workbook (.xls); ${save}`;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return `not UTF-8 or Windows-1252: the file is UTF-16 text (Excel's 'Unicode Text'); ${save}`;
  // UTF-16 without a byte-order mark: an ASCII header with a NUL byte beside each letter.
  if (head.length >= 4 && ((head[1] === 0 && head[3] === 0 && head[0] !== 0) || (head[0] === 0 && head[2] === 0 && head[1] !== 0))) {
    return `not UTF-8 or Windows-1252: the file looks like UTF-16 text (a NUL byte beside each letter); ${save}`;
  }
  return null;
}

/**
 * The header row of an export, from its first bytes only: enough to choose how to read it
 * (canonical or which vendor profile) before the import starts; `notText` says why it cannot be
 * read at all (notCsvText).
 */
export function readHeaderRow(filePath: string): { headers: string[]; delimiter: Delimiter; notText?: string } {
  const fd = openSync(filePath, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    let bytes = head.subarray(0, n);
    // Cut at the last line break, so no multi-byte character is split.
    const lastBreak = bytes.lastIndexOf(0x0a);
    if (n === HEAD_BYTES && lastBreak > 0) bytes = bytes.subarray(0, lastBreak);
    const notText = notCsvText(bytes);
    if (notText) return { headers: [], delimiter: ',', notText };
    const { headers, delimiter } = headerOf(decodeAs(bytes, judgeEncoding(bytes)));
    return { headers, delimiter };
  } finally {
    closeSync(fd);
  }
}

/**
 * Works out an export's encoding (judgeEncoding), delimiter and header. Older MIS exports are
 * often Windows-1252: such a file is decoded as 1252 (so "Zoë" survives) and handed to DuckDB
 * as a UTF-8 copy, because DuckDB has no 1252 reader offline. A UTF-8 file with a few bytes that
 * are not UTF-8 is handed over as a copy with U+FFFD in their place, so the rest reads as written
 * and the rows holding them are rejected. A clean UTF-8 file is never held in memory whole: one
 * streamed pass (`scan`, scan-bytes.mjs: its SHA-256, that it is UTF-8, its line breaks, its first
 * bytes) is all the load needs, and its text is read only if rejects need line numbers. Ingest
 * passes a scan made in a worker thread while the file before was loading (ByteScanner); without
 * one the file is scanned here.
 */
export function inspectSourceFile(filePath: string, scan: ByteScan = scanBytes(filePath, HEAD_BYTES)): SourceFile {
  if (!scan.utf8 || mixedLineBreaks(scan)) {
    const copied = inspectDecoded(filePath, scan);
    if (copied) return copied;
  }
  const hasBom = scan.head[0] === 0xef && scan.head[1] === 0xbb && scan.head[2] === 0xbf;
  const { delimiter, headers, sample } = headerOf(scan.head.toString('utf-8'), SAMPLE_ROWS);
  let text: string | null = null;
  const named = literalPathOf(filePath);
  return {
    originalPath: filePath,
    readablePath: named.path,
    encoding: hasBom ? 'utf-8-bom' : 'utf-8',
    delimiter,
    headers,
    sample,
    sizeBytes: scan.size,
    sha256: scan.sha256,
    recordsAtMost: recordsAtMost(scan.breaks, scan.lastByte),
    invalidBytes: 0,
    warnings: [],
    removeCopy: named.remove,
    get text() {
      if (text === null) {
        const full = readFileSync(filePath).toString('utf-8');
        text = full.charCodeAt(0) === 0xfeff ? full.slice(1) : full;
      }
      return text;
    },
  };
}

/**
 * Characters DuckDB's reader takes as a pattern in a path: `*`, `?` and `[…]` (a glob). A file
 * named `behaviour[1].csv` would be read as `behaviour1.csv`, and `events*.csv` as every file
 * starting `events`, silently; a folder named `Year [7]` (a legal name on Windows too) likewise.
 * DuckDB has no way to escape them, so such a file is read under a plain name instead.
 */
const GLOB_CHARACTERS = /[*?[]/;

/** A plain name for DuckDB's copy of a file whose own name holds glob characters. */
const plainName = (filePath: string) => (GLOB_CHARACTERS.test(path.basename(filePath)) ? 'export.csv' : path.basename(filePath));

/**
 * A path at which DuckDB's reader reads this file and no other: the file's own, or, where its path
 * holds glob characters (GLOB_CHARACTERS), a hard link (the same bytes, no copy) or else a copy
 * under a plain name in the system's temporary folder, removed by `remove` like a decoded copy.
 */
function literalPathOf(filePath: string): { path: string; remove: () => void } {
  if (!GLOB_CHARACTERS.test(path.resolve(filePath))) return { path: filePath, remove() {} };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-name-'));
  const readable = path.join(dir, plainName(filePath));
  if (GLOB_CHARACTERS.test(readable)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${filePath}: its path holds *, ? or [, which DuckDB reads as a pattern, and so does the temporary folder (${os.tmpdir()}); rename the file or folder`);
  }
  try {
    try {
      linkSync(filePath, readable);
    } catch {
      // Another drive, or a file system without hard links.
      copyFileSync(filePath, readable);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { path: readable, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * At most this many records follow the header: the line breaks, plus a last line without one,
 * minus the header (SourceFile.recordsAtMost).
 */
const recordsAtMost = (breaks: number, lastByte: number) => Math.max(0, breaks + (lastByte >= 0 && lastByte !== 0x0a && lastByte !== 0x0d ? 1 : 0) - 1);

/** Whether the file's line breaks, quoted ones included, are of more than one kind (CRLF, LF alone, CR alone). */
const mixedLineBreaks = (scan: ByteScan) => [scan.crlf, scan.lf - scan.crlf, scan.breaks - scan.lf].filter((n) => n > 0).length > 1;

/**
 * A file that is not UTF-8 throughout, or whose line breaks outside quotes are of more than one
 * kind (unifiedLineBreaks): read whole, decoded, and handed to DuckDB as a UTF-8 copy with one
 * kind of line break. Null for a UTF-8 file whose mixed line breaks are all in quoted values
 * (an Excel file with line breaks in its cells): DuckDB reads it as it is.
 */
function inspectDecoded(filePath: string, scan: ByteScan): SourceFile | null {
  const bytes = readFileSync(filePath);
  const evidence = judgeEncoding(bytes);
  const { encoding, invalidSequences } = evidence;
  const decodedAsIs = decodeAs(bytes, evidence);
  const unified = mixedLineBreaks(scan) ? unifiedLineBreaks(decodedAsIs, headerOf(decodedAsIs).delimiter) : null;
  if (scan.utf8 && unified === null) return null;
  const decoded = unified ?? decodedAsIs;
  const dir = mkdtempSync(path.join(os.tmpdir(), encoding === 'windows-1252' ? 'pastoral-1252-' : 'pastoral-utf8-'));
  const readablePath = path.join(dir, plainName(filePath));
  try {
    writeFileSync(readablePath, decoded, 'utf-8');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const warnings: string[] = [];
  if (unified !== null) warnings.push('line ends are mixed (CRLF, LF or CR from one row to the next): each read as the end of a row');
  if (scan.utf8) {
    // Clean UTF-8: copied only for its line ends.
  } else if (encoding === 'windows-1252') {
    warnings.push('file is Windows-1252, not UTF-8: decoded as Windows-1252');
  } else {
    const lines = linesWithReplacement(decoded, 11);
    const where = `${lines.length > 10 ? `${lines.slice(0, 10).join(', ')}, …` : lines.join(', ')}`;
    warnings.push(
      `file is UTF-8 (${evidence.validSequences} accented or other multi-byte characters) apart from ${invalidSequences} byte${invalidSequences === 1 ? '' : 's'} that ${invalidSequences === 1 ? 'is' : 'are'} not, on line${lines.length === 1 ? '' : 's'} ${where}: ` +
        `${lines.length === 1 ? 'that row is' : 'those rows are'} rejected, the rest is read as UTF-8`,
    );
  }
  const { delimiter, headers, sample } = headerOf(decoded, SAMPLE_ROWS);
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  return {
    originalPath: filePath,
    readablePath,
    encoding,
    delimiter,
    headers,
    sample,
    sizeBytes: bytes.length,
    sha256: scan.sha256,
    // The line breaks of the file as written (a decoded byte is never a line break).
    recordsAtMost: recordsAtMost(scan.breaks, scan.lastByte),
    invalidBytes: encoding === 'windows-1252' ? 0 : invalidSequences,
    warnings,
    removeCopy() {
      rmSync(dir, { recursive: true, force: true });
    },
    text,
  };
}

/**
 * Scans exports in a worker thread, one after another, so that the next file's scan (its
 * SHA-256, line breaks and UTF-8 check: about 0.4 s for 100 MB) runs while DuckDB loads the
 * file before, instead of the load waiting for it. Where the worker cannot start or fails, the
 * file is scanned in this thread: the result is the same either way. `close()` ends the worker.
 */
export class ByteScanner {
  #worker: Worker | null = null;
  #failed: boolean;
  #next = 0;
  readonly #waiting = new Map<number, { resolve: (scan: ByteScan) => void; reject: (error: Error) => void }>();

  /** `inWorker: false` scans in this thread (a small import, where starting a worker costs more than it saves). */
  constructor(options: { inWorker?: boolean } = {}) {
    this.#failed = options.inWorker === false;
  }

  /** The scan of `filePath`, made in the worker (or here, if it cannot be). */
  scan(filePath: string): Promise<ByteScan> {
    const worker = this.#start();
    if (!worker) return Promise.resolve().then(() => scanBytes(filePath, HEAD_BYTES));
    const id = this.#next++;
    return new Promise<ByteScan>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, filePath, headBytes: HEAD_BYTES });
    }).catch((error: Error) => {
      // The worker died (not the file: a file's own error comes back as a message): scan here.
      if (error.name === 'ScanWorkerError') return scanBytes(filePath, HEAD_BYTES);
      throw error;
    });
  }

  /** Ends the worker; scans still waiting are rejected (an import that failed does not need them). */
  close(): void {
    this.#failed = true;
    for (const waiting of this.#waiting.values()) waiting.reject(new Error('the scanner was closed'));
    this.#waiting.clear();
    void this.#worker?.terminate();
    this.#worker = null;
  }

  #start(): Worker | null {
    if (this.#worker || this.#failed) return this.#worker;
    try {
      const worker = new Worker(new URL('./scan-worker.mjs', import.meta.url));
      worker.on('message', (message: { id: number; scan?: ByteScan & { head: Uint8Array }; error?: string }) => {
        const waiting = this.#waiting.get(message.id);
        this.#waiting.delete(message.id);
        if (!waiting) return;
        if (message.scan) {
          const head = message.scan.head;
          waiting.resolve({ ...message.scan, head: Buffer.from(head.buffer, head.byteOffset, head.byteLength) });
        } else waiting.reject(new Error(message.error));
      });
      const fail = (error: unknown) => {
        this.#failed = true;
        this.#worker = null;
        const reason = Object.assign(new Error(`scan worker stopped: ${error instanceof Error ? error.message : String(error)}`), { name: 'ScanWorkerError' });
        for (const waiting of this.#waiting.values()) waiting.reject(reason);
        this.#waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.#waiting.size > 0) fail(new Error(`exit code ${code}`));
      });
      this.#worker = worker;
    } catch {
      this.#failed = true;
    }
    return this.#worker;
  }
}

/**
 * The mapping, plus one row check per column of the file for a UTF-8 file with bytes that are
 * not UTF-8: a row holding one (U+FFFD in the copy DuckDB reads) is rejected, naming the column
 * and showing the value with U+FFFD where the byte was. Nothing is guessed: the user corrects
 * the value. (A U+FFFD already in such a file, the mark of an earlier failed conversion, is
 * rejected the same way.)
 */
export function withUndecodableRejects(mapping: ColumnMapping, source: SourceFile): ColumnMapping {
  if (source.invalidBytes === 0) return mapping;
  const rejects = source.headers.map((header, i) => ({
    header: header === '' ? `column ${i + 1}` : header,
    valueExpr: ident(sourceColumn(i)),
    condition: `contains(${ident(sourceColumn(i))}, ${literal(REPLACEMENT)})`,
    reason: `not valid UTF-8: a byte here is not UTF-8 (shown as ${REPLACEMENT}); the rest of the file is UTF-8, so correct this value and save the file as UTF-8`,
  }));
  return { ...mapping, rowRejects: [...mapping.rowRejects, ...rejects] };
}
