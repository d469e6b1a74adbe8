import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { sourceColumn, type ColumnMapping } from './column-mapping.ts';
import { ident, literal } from '../src/warehouse/warehouse.ts';

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
  /**
   * Bytes of a UTF-8 file that are not UTF-8 (0 for a clean file and for a Windows-1252 one).
   * They reach DuckDB as U+FFFD, and the rows holding them are rejected (withUndecodableRejects).
   */
  readonly invalidBytes: number;
  /** What the user should know about how the file was decoded (printed with the file's report). */
  readonly warnings: readonly string[];
}

const cp1252 = new TextDecoder('windows-1252');
/** Replaces each byte sequence that is not UTF-8 with U+FFFD (never throws). */
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const REPLACEMENT = '\uFFFD';

/** How a file's bytes were judged: the encoding, and the evidence it was chosen on. */
export interface EncodingEvidence {
  encoding: Encoding;
  /** Well-formed UTF-8 sequences of two to four bytes (accented letters, £, €, ’ …); -1 (not counted) for a valid UTF-8 file. */
  validSequences: number;
  /** Bytes (or broken sequences) that cannot be UTF-8. */
  invalidSequences: number;
}

/**
 * Decides a file's encoding on evidence. Valid UTF-8 is UTF-8. Otherwise the bytes above 127 are
 * counted as well-formed UTF-8 sequences or not: a Windows-1252 export (é, £ as single bytes)
 * has hardly any well-formed sequences, because a 1252 letter is seldom followed by the one or
 * two symbols that would complete one; a UTF-8 export with a stray byte (a value pasted from
 * an older system) has well-formed sequences and a few broken ones. So: a byte-order mark, or at
 * least as many well-formed sequences as broken ones (and at least one), means UTF-8 with a few
 * bad bytes (their rows are rejected; the rest is read as UTF-8); otherwise Windows-1252. A file
 * with no bytes above 127 but the broken ones is read as Windows-1252, which is what such a byte
 * most likely is (and every other byte reads the same either way).
 */
export function judgeEncoding(bytes: Uint8Array): EncodingEvidence {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (isUtf8(bytes)) return { encoding: hasBom ? 'utf-8-bom' : 'utf-8', validSequences: -1, invalidSequences: 0 };
  let validSequences = 0;
  let invalidSequences = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    // The well-formed ranges of the Unicode standard (table 3-7): no overlongs, no surrogates.
    // A broken sequence counts once for its lead byte and the continuation bytes that fitted
    // (its "maximal subpart"), as a decoder shows it: one U+FFFD.
    const following = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let fitted = 0;
    while (fitted < following && i + 1 + fitted < n) {
      const c = bytes[i + 1 + fitted];
      if (fitted === 0 ? c < low || c > high : c < 0x80 || c > 0xbf) break;
      fitted += 1;
    }
    if (following > 0 && fitted === following) validSequences += 1;
    else invalidSequences += 1;
    i += fitted;
  }
  const utf8 = hasBom || (validSequences > 0 && validSequences >= invalidSequences);
  return { encoding: utf8 ? (hasBom ? 'utf-8-bom' : 'utf-8') : 'windows-1252', validSequences, invalidSequences };
}

/** The bytes as text, in the encoding judged (U+FFFD for the bad bytes of a UTF-8 file). */
function decodeAs(bytes: Uint8Array, evidence: EncodingEvidence): string {
  if (evidence.encoding === 'windows-1252') return cp1252.decode(bytes);
  return evidence.invalidSequences > 0 ? utf8Lenient.decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf-8');
}

/** Physical lines (1 = header) holding U+FFFD, the first `max` of them. */
function linesWithReplacement(text: string, max: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (let i = text.indexOf(REPLACEMENT); i >= 0 && lines.length < max; i = text.indexOf(REPLACEMENT, i + 1)) {
    for (let j = text.indexOf('\n', from); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) {
      line += 1;
      from = j + 1;
    }
    if (lines[lines.length - 1] !== line) lines.push(line);
  }
  return lines;
}

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
    return headerOf(decodeAs(bytes, judgeEncoding(bytes)));
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
    writeFileSync(readablePath, decoded, 'utf-8');
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
    invalidBytes: encoding === 'windows-1252' ? 0 : invalidSequences,
    warnings,
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

/** The longest row DuckDB's CSV reader takes (its default `max_line_size`), in bytes. */
export const MAX_LINE_BYTES = 2_000_000;

/**
 * Why DuckDB could not read some records, in the words a user needs. DuckDB names an over-long
 * row "maximum line size exceeded" only while it fits DuckDB's read buffer: a row of a few dozen
 * megabytes or more is reported as "unterminated quote" (with another row's text), although its
 * quotes are closed. So the records are measured here (one pass over the text): each one whose
 * quotes close and which is longer than the limit gets the line size as its reason, with its
 * real size and its start as the value. Records not in the map keep DuckDB's own reason.
 */
export function overlongRecords(text: string, records: readonly number[]): Map<number, { reason: string; value: string }> {
  const result = new Map<number, { reason: string; value: string }>();
  const fmt = (n: number) => n.toLocaleString('en-GB');
  for (const [record, span] of recordSpans(text, records)) {
    // Only count bytes when the row could be too long (a character is at most 3 bytes here).
    if (!span.closed || (span.end - span.start) * 3 <= MAX_LINE_BYTES) continue;
    const row = text.slice(span.start, span.end);
    const bytes = Buffer.byteLength(row, 'utf-8');
    if (bytes <= MAX_LINE_BYTES) continue;
    result.set(record, {
      reason: `maximum line size exceeded: the row is ${fmt(bytes)} bytes long, more than the ${fmt(MAX_LINE_BYTES)} a row may have (look for a value pasted in by mistake)`,
      value: `${row.slice(0, 100)}… (${fmt(bytes)} bytes)`,
    });
  }
  return result;
}

/**
 * Where records (0 = header) lie in the text, without their line break, scanning the way a CSV
 * reader does; `closed` is false for a record that ends inside quotes (a quote never closed).
 */
export function recordSpans(text: string, records: readonly number[]): Map<number, { start: number; end: number; closed: boolean }> {
  const wanted = new Set(records);
  const spans = new Map<number, { start: number; end: number; closed: boolean }>();
  if (wanted.size === 0) return spans;
  const last = records.reduce((a, b) => Math.max(a, b), 0);
  // Native searches for the next quote and line break (kept until passed), so a long field or
  // a long run of unquoted lines costs no per-character loop.
  let nextQuote = -2;
  let nextBreak = -2;
  const find = (ch: string, at: number, cached: number) => (cached === -1 || cached >= at ? cached : text.indexOf(ch, at));
  let current = 0;
  let start = 0;
  let inQuotes = false;
  let i = 0;
  while (i < text.length && current <= last) {
    nextQuote = find('"', i, nextQuote);
    if (inQuotes) {
      if (nextQuote < 0) break;
      inQuotes = false;
      i = nextQuote + 1;
      continue;
    }
    nextBreak = find('\n', i, nextBreak);
    if (nextBreak >= 0 && (nextQuote < 0 || nextBreak < nextQuote)) {
      if (wanted.has(current)) spans.set(current, { start, end: nextBreak > start && text.charCodeAt(nextBreak - 1) === 13 ? nextBreak - 1 : nextBreak, closed: true });
      current += 1;
      start = nextBreak + 1;
      i = start;
    } else if (nextQuote >= 0) {
      inQuotes = true;
      i = nextQuote + 1;
    } else {
      break;
    }
  }
  if (current <= last && wanted.has(current) && start < text.length) spans.set(current, { start, end: text.length, closed: !inQuotes });
  return spans;
}
