/**
 * Where a record lies: its text from `start` to `end` (its line break left out), the physical line
 * it starts on (1 = the header's), and whether its quotes close (false: a quote never closed, the
 * record runs to the end of the text).
 */
interface RecordSpan {
  start: number;
  end: number;
  line: number;
  closed: boolean;
}

/**
 * Walks the records of a CSV text (0 = the header) the way DuckDB's reader splits them, calling
 * `visit` with each until it returns false:
 * - a record ends at a line break outside quotes: LF (with the CR before it, CRLF), or a lone CR
 *   in a text with no LF (an old Mac export);
 * - a quote opens a quoted field only at the start of a field (the record's, or after the
 *   delimiter): a quote inside an unquoted value (`5'10"`, `said "no"`) is a character like any
 *   other, and the records after it are where they were. Inside quotes a doubled quote is a quote;
 * - an empty line is a record here, as in DuckDB's line numbers (its rejects' `line`), although
 *   DuckDB reads no row from it (see rowRecords).
 * Physical lines count the line breaks, quoted ones too: what a text editor shows.
 * Native searches for the next quote and line break (kept until passed), so a long field or a
 * long run of unquoted lines costs no per-character loop.
 */
function walkRecords(text: string, delimiter: string, visit: (record: number, span: RecordSpan) => boolean): void {
  const lineBreak = text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
  let nextQuote = -2;
  let nextBreak = -2;
  const find = (ch: string, at: number, cached: number) => (cached === -1 || cached >= at ? cached : text.indexOf(ch, at));
  let record = 0;
  let start = 0;
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let i = 0;
  while (i <= text.length) {
    nextQuote = find('"', i, nextQuote);
    if (inQuotes) {
      if (nextQuote < 0) {
        if (start < text.length) visit(record, { start, end: text.length, line: recordLine, closed: false });
        return;
      }
      // The quoted line breaks up to the closing quote are lines too.
      for (let b = text.indexOf(lineBreak, i); b >= 0 && b < nextQuote; b = text.indexOf(lineBreak, b + 1)) line += 1;
      if (text.charCodeAt(nextQuote + 1) === 34 /* "" */) {
        i = nextQuote + 2;
        continue;
      }
      inQuotes = false;
      i = nextQuote + 1;
      continue;
    }
    nextBreak = find(lineBreak, i, nextBreak);
    if (nextQuote >= 0 && (nextBreak < 0 || nextQuote < nextBreak)) {
      if (nextQuote === start || text[nextQuote - 1] === delimiter) inQuotes = true;
      i = nextQuote + 1;
      continue;
    }
    if (nextBreak < 0) {
      if (start < text.length) visit(record, { start, end: text.length, line: recordLine, closed: true });
      return;
    }
    const end = lineBreak === '\n' && nextBreak > start && text.charCodeAt(nextBreak - 1) === 13 ? nextBreak - 1 : nextBreak;
    if (!visit(record, { start, end, line: recordLine, closed: true })) return;
    record += 1;
    line += 1;
    recordLine = line;
    start = nextBreak + 1;
    i = start;
  }
}

/** The largest of a set of numbers, however many. */
function maxOf(numbers: Iterable<number>): number {
  let max = -Infinity;
  for (const n of numbers) if (n > max) max = n;
  return max;
}

/**
 * Maps record numbers (0 = header, empty lines counted: DuckDB's numbering of its rejects) to the
 * physical line each starts on. Reject reports need physical lines, because that is what a
 * spreadsheet or text editor shows the user.
 */
export function physicalLinesOfRecords(text: string, records: readonly number[], delimiter = ','): Map<number, number> {
  const wanted = new Set(records);
  const result = new Map<number, number>();
  if (wanted.size === 0) return result;
  // Not Math.max(...wanted): a file whose every row is rejected (its pupils file missing) has more than the stack takes.
  const last = maxOf(wanted);
  walkRecords(text, delimiter, (record, span) => {
    if (wanted.has(record)) result.set(record, span.line);
    return record < last;
  });
  return result;
}

/** How many records follow the header, empty lines left out: the rows and malformed records a reader must account for. */
export function recordsAfterHeader(text: string, delimiter = ','): number {
  let n = 0;
  walkRecords(text, delimiter, (record, span) => {
    if (record > 0 && span.end > span.start) n += 1;
    return true;
  });
  return n;
}

/**
 * The record (as physicalLinesOfRecords numbers them) each of DuckDB's rows comes from. DuckDB
 * numbers the rows it reads densely (1 = the first after the header): it reads no row from an
 * empty line, nor from a record it could not split (`malformed`, in record numbers), so both are
 * gaps put back here.
 */
export function rowRecords(text: string, rows: readonly number[], malformed: readonly number[], delimiter = ','): Map<number, number> {
  const wanted = new Set(rows);
  const result = new Map<number, number>();
  if (wanted.size === 0) return result;
  // Not Math.max(...wanted): a file whose every row is rejected (its pupils file missing) has more than the stack takes.
  const last = maxOf(wanted);
  const skipped = new Set(malformed);
  let row = 0;
  walkRecords(text, delimiter, (record, span) => {
    if (record === 0 || span.end === span.start || skipped.has(record)) return true;
    row += 1;
    if (wanted.has(row)) result.set(row, record);
    return row < last;
  });
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
export function overlongRecords(text: string, records: readonly number[], delimiter = ','): Map<number, { reason: string; value: string }> {
  const result = new Map<number, { reason: string; value: string }>();
  const fmt = (n: number) => n.toLocaleString('en-GB');
  for (const [record, span] of recordSpans(text, records, delimiter)) {
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
 * Where records (0 = header) lie in the text, without their line break, split as walkRecords
 * splits them; `closed` is false for a record that ends inside quotes (a quote never closed).
 */
export function recordSpans(text: string, records: readonly number[], delimiter = ','): Map<number, { start: number; end: number; closed: boolean }> {
  const wanted = new Set(records);
  const spans = new Map<number, { start: number; end: number; closed: boolean }>();
  if (wanted.size === 0) return spans;
  const last = records.reduce((a, b) => Math.max(a, b), 0);
  walkRecords(text, delimiter, (record, { start, end, closed }) => {
    if (wanted.has(record)) spans.set(record, { start, end, closed });
    return record < last;
  });
  return spans;
}

/**
 * The text with each line break outside quotes written as LF, when those are of more than one
 * kind (CRLF, LF alone, CR alone: a file appended to in another editor, or two exports joined);
 * null when they are all one kind. DuckDB's reader takes one kind of line end per file and stops
 * the whole import at another ("the CSV Parser state machine reached an invalid state"). Quoted
 * values are left as written (a cell's own line breaks, LF in Excel's CRLF files, are values, and
 * DuckDB reads them), and every line break stays one, so lines are where they were. Quotes open
 * only at a field's start, as in walkRecords.
 */
export function unifiedLineBreaks(text: string, delimiter: string): string | null {
  const kinds = new Set<string>();
  const parts: string[] = [];
  const delimiterCode = delimiter.charCodeAt(0);
  let from = 0;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) i += 1;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 13 /* \r */ || c === 10 /* \n */) {
      const crlf = c === 13 && text.charCodeAt(i + 1) === 10;
      kinds.add(crlf ? 'CRLF' : c === 10 ? 'LF' : 'CR');
      if (c === 13) {
        parts.push(text.slice(from, i), '\n');
        if (crlf) i += 1;
        from = i + 1;
      }
      fieldStart = true;
      continue;
    }
    if (c === 34 && fieldStart) inQuotes = true;
    fieldStart = c === delimiterCode;
  }
  if (kinds.size < 2) return null;
  parts.push(text.slice(from));
  return parts.join('');
}
