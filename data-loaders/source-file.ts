import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
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
}

const cp1252 = new TextDecoder('windows-1252');

/** Enough of a file to read its header row (and sniff its encoding) without reading it all. */
const HEAD_BYTES = 64 * 1024;

/** The header row: delimiter detected, cells trimmed. */
function headerOf(text: string): { delimiter: Delimiter; headers: string[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = body.search(/\r?\n/);
  const firstLine = end >= 0 ? body.slice(0, end) : body;
  const delimiter = detectDelimiter(firstLine);
  const parsedHeader = Papa.parse<string[]>(firstLine, { delimiter, preview: 1 });
  return { delimiter, headers: (parsedHeader.data[0] ?? []).map((h) => h.trim()) };
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
    return headerOf(isUtf8(bytes) ? bytes.toString('utf-8') : cp1252.decode(bytes));
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an export and works out its encoding, delimiter and header. Older MIS exports are
 * often Windows-1252: a file that is not valid UTF-8 is decoded as 1252 (so "Zoë" survives)
 * and handed to DuckDB as a UTF-8 copy, because DuckDB has no 1252 reader offline. A UTF-8
 * file is checked without being decoded: its text is only built if rejects need line numbers.
 */
export function inspectSourceFile(filePath: string): SourceFile {
  const bytes = readFileSync(filePath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let encoding: Encoding;
  let readablePath = filePath;
  let decoded: string | null = null;
  if (isUtf8(bytes)) {
    encoding = hasBom ? 'utf-8-bom' : 'utf-8';
  } else {
    decoded = cp1252.decode(bytes);
    encoding = 'windows-1252';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-1252-'));
    readablePath = path.join(dir, path.basename(filePath));
    writeFileSync(readablePath, decoded, 'utf-8');
  }
  const { delimiter, headers } = headerOf(decoded ?? bytes.subarray(0, HEAD_BYTES).toString('utf-8'));
  let text: string | null = null;
  const breaks = lineBreaks(bytes);
  const unterminated = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a && bytes[bytes.length - 1] !== 0x0d ? 1 : 0;
  return {
    originalPath: filePath,
    readablePath,
    encoding,
    delimiter,
    headers,
    sizeBytes: bytes.length,
    sha256,
    recordsAtMost: Math.max(0, breaks + unterminated - 1),
    get text() {
      if (text === null) {
        const full = decoded ?? bytes.toString('utf-8');
        text = full.charCodeAt(0) === 0xfeff ? full.slice(1) : full;
      }
      return text;
    },
  };
}

/** Line breaks in the bytes: each LF, and each CR not followed by LF (counted natively with indexOf). */
function lineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n += 1;
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) if (bytes[i + 1] !== 0x0a) n += 1;
  return n;
}

/** Picks the candidate delimiter that splits the header line most often (outside quotes). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] > 0 ? best : ',';
}

/**
 * Maps record numbers (0 = header) to the physical line each starts on, by scanning the text
 * the way a CSV reader does: a line break inside quotes does not end a record. Reject reports
 * need physical lines, because that is what a spreadsheet or text editor shows the user.
 */
export function physicalLinesOfRecords(text: string, records: readonly number[]): Map<number, number> {
  const wanted = new Set(records);
  const result = new Map<number, number>();
  if (wanted.size === 0) return result;
  const last = Math.max(...wanted);
  let record = 0;
  let line = 1;
  let inQuotes = false;
  if (wanted.has(0)) result.set(0, 1);
  for (let i = 0; i < text.length && record <= last; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) inQuotes = !inQuotes;
    else if (ch === 10 /* \n */) {
      line += 1;
      if (!inQuotes) {
        record += 1;
        if (wanted.has(record)) result.set(record, line);
      }
    }
  }
  return result;
}
