import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  /** Decoded text, kept so rejected records can be mapped back to physical lines. */
  readonly text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/**
 * Reads an export and works out its encoding, delimiter and header. Older MIS exports are
 * often Windows-1252: a file that is not valid UTF-8 is decoded as 1252 (so "Zoë" survives)
 * and handed to DuckDB as a UTF-8 copy, because DuckDB has no 1252 reader offline.
 */
export function inspectSourceFile(filePath: string): SourceFile {
  const bytes = readFileSync(filePath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let text: string;
  let encoding: Encoding;
  let readablePath = filePath;
  try {
    text = utf8.decode(bytes);
    encoding = hasBom ? 'utf-8-bom' : 'utf-8';
  } catch {
    text = cp1252.decode(bytes);
    encoding = 'windows-1252';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-1252-'));
    readablePath = path.join(dir, path.basename(filePath));
    writeFileSync(readablePath, text, 'utf-8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n/)) || text.length);
  const delimiter = detectDelimiter(firstLine);
  const parsedHeader = Papa.parse<string[]>(firstLine, { delimiter, preview: 1 });
  const headers = (parsedHeader.data[0] ?? []).map((h) => h.trim());
  return { originalPath: filePath, readablePath, encoding, delimiter, headers, sizeBytes: statSync(filePath).size, sha256, text };
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
