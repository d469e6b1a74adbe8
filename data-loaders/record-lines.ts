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
