import { createHash } from 'node:crypto';
import { arrowFile } from './arrow-file.ts';
import type { PageMember, Row } from './mart-export.ts';

/**
 * Page data split by what a page shows (a school, an academic year, a year group…), so a page
 * downloads only the part on screen, whatever the size of the trust:
 *
 *   await emitArchive(partitionedMembers(rows, columns, ['school_id', 'academic_year', yearGroupKey]));
 *
 * gives `index.arrow`, which a page names literally (FileAttachment("data/x/index.arrow")): one
 * row per part with its key values, `file`, `rows` and `bytes`; and one Arrow file per part,
 * `y9.<hash>.arrow`: named by its last key value and the first 12 hex digits of its content's
 * SHA-256 (the index says whose it is; a browser never keeps a stale copy; two parts with the
 * same bytes share one file). Parts are not named in any page (there can be thousands):
 * `pastoral build` publishes them beside the index (src/build/build-site.ts), and
 * reports/components/file-cache.js (`partsOf`) fetches one relative to the index's address.
 */

/** A key column, and how its value reads in a file name (default: the value, made file-safe). */
export type PartKey = string | { column: string; name: (value: Row[string]) => string };

export const yearGroupKey: PartKey = { column: 'year_group', name: (v) => `y${v}` };

const columnOf = (key: PartKey) => (typeof key === 'string' ? key : key.column);

/** A value as one segment of a path: letters, digits, '-' and '_' only ('2025/26' → '2025-26'). */
export function pathSegment(value: Row[string]): string {
  const text = String(value ?? 'none').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return text === '' ? 'none' : text;
}

/** The members of a partitioned data set: index.arrow, then each part (marked `part`). */
export function partitionedMembers(rows: readonly Row[], columns: readonly string[], keys: readonly PartKey[]): PageMember[] {
  if (keys.length === 0) throw new Error('a partition needs at least one key column');
  const groups = new Map<string, { key: Row; rows: Row[] }>();
  for (const row of rows) {
    const key = Object.fromEntries(keys.map((k) => [columnOf(k), row[columnOf(k)] ?? null]));
    const id = JSON.stringify(Object.values(key));
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key, rows: [] }));
    group.rows.push(row);
  }
  const index: Row[] = [];
  const parts = new Map<string, PageMember>();
  const last = keys[keys.length - 1];
  for (const { key, rows: partRows } of groups.values()) {
    const data = arrowFile(partRows, columns);
    const hash = createHash('sha256').update(data).digest('hex').slice(0, 12);
    const stem = typeof last === 'string' ? pathSegment(key[last]) : pathSegment(last.name(key[last.column]));
    const file = `${stem}.${hash}.arrow`;
    const same = parts.get(file);
    if (!same) parts.set(file, { name: file, data, part: true });
    else if (Buffer.compare(same.data, data) !== 0) throw new Error(`two different parts hash to ${file}`);
    index.push({ ...key, file, rows: partRows.length, bytes: data.length });
  }
  const indexColumns = [...keys.map(columnOf), 'file', 'rows', 'bytes'];
  return [{ name: 'index.arrow', data: arrowFile(index, indexColumns) }, ...parts.values()];
}
