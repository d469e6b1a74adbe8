import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { decodeAs, judgeEncoding, linesWithReplacement, REPLACEMENT, type Encoding } from './encoding.ts';
import { ident, literal } from '../src/warehouse/warehouse.ts';

export type Delimiter = ',' | ';' | '\t';

/** What we learn about an export before DuckDB reads it. */
export interface SourceFile {
  /** The file as the user named it. */
  readonly originalPath: string;
  /** A UTF-8 file DuckDB can read: the original, or a transcoded temporary copy. */
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
 * The header row of an export, from its first bytes only: enough to choose how to read it
 * (canonical or which vendor profile) before the import starts.
 */
export function readHeaderRow(filePath: string): { headers: string[]; delimiter: Delimiter } {
  const fd = openSync(filePath, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    let bytes = head.subarray(0, n);
    // Cut at the last line break, so no multi-byte character is split.
    const lastBreak = bytes.lastIndexOf(0x0a);
    if (n === HEAD_BYTES && lastBreak > 0) bytes = bytes.subarray(0, lastBreak);
    const { headers, delimiter } = headerOf(decodeAs(bytes, judgeEncoding(bytes)));
    return { headers, delimiter };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an export and works out its encoding (judgeEncoding), delimiter and header. Older MIS
 * exports are often Windows-1252: such a file is decoded as 1252 (so "Zoë" survives) and handed
 * to DuckDB as a UTF-8 copy, because DuckDB has no 1252 reader offline. A UTF-8 file with a few
 * bytes that are not UTF-8 is handed over as a copy with U+FFFD in their place, so the rest reads
 * as written and the rows holding them are rejected. A clean UTF-8 file is checked without being
 * decoded: its text is only built if rejects need line numbers.
 */
export function inspectSourceFile(filePath: string): SourceFile {
  const bytes = readFileSync(filePath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const evidence = judgeEncoding(bytes);
  const { encoding, invalidSequences } = evidence;
  let readablePath = filePath;
  let decoded: string | null = null;
  const warnings: string[] = [];
  if (encoding === 'windows-1252' || invalidSequences > 0) {
    decoded = decodeAs(bytes, evidence);
    const dir = mkdtempSync(path.join(os.tmpdir(), encoding === 'windows-1252' ? 'pastoral-1252-' : 'pastoral-utf8-'));
    readablePath = path.join(dir, path.basename(filePath));
    try {
      writeFileSync(readablePath, decoded, 'utf-8');
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    if (encoding === 'windows-1252') {
      warnings.push('file is Windows-1252, not UTF-8: decoded as Windows-1252');
    } else {
      const lines = linesWithReplacement(decoded, 11);
      const where = `${lines.length > 10 ? `${lines.slice(0, 10).join(', ')}, …` : lines.join(', ')}`;
      warnings.push(
        `file is UTF-8 (${evidence.validSequences} accented or other multi-byte characters) apart from ${invalidSequences} byte${invalidSequences === 1 ? '' : 's'} that ${invalidSequences === 1 ? 'is' : 'are'} not, on line${lines.length === 1 ? '' : 's'} ${where}: ` +
          `${lines.length === 1 ? 'that row is' : 'those rows are'} rejected, the rest is read as UTF-8`,
      );
    }
  }
  const { delimiter, headers, sample } = headerOf(decoded ?? bytes.subarray(0, HEAD_BYTES).toString('utf-8'), SAMPLE_ROWS);
  let text: string | null = null;
  const breaks = lineBreaks(bytes);
  const unterminated = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a && bytes[bytes.length - 1] !== 0x0d ? 1 : 0;
  return {
    originalPath: filePath,
    readablePath,
    encoding,
    delimiter,
    headers,
    sample,
    sizeBytes: bytes.length,
    sha256,
    recordsAtMost: Math.max(0, breaks + unterminated - 1),
    invalidBytes: encoding === 'windows-1252' ? 0 : invalidSequences,
    warnings,
    removeCopy() {
      if (readablePath !== filePath) rmSync(path.dirname(readablePath), { recursive: true, force: true });
    },
    get text() {
      if (text === null) {
        const full = decoded ?? bytes.toString('utf-8');
        text = full.charCodeAt(0) === 0xfeff ? full.slice(1) : full;
      }
      return text;
    },
  };
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

/** Line breaks in the bytes: each LF, and each CR not followed by LF (counted natively with indexOf). */
function lineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n += 1;
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) if (bytes[i + 1] !== 0x0a) n += 1;
  return n;
}
