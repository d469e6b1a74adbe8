import { createHash } from 'node:crypto';
import { arrowFile } from './arrow-file.ts';
import { type FileBytes, type MartQuery, type PageMember, type Row } from './mart-export.ts';
import { fileStamp } from './previous-build.ts';
import { encodeQueryParts } from './query-parts.ts';

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
 * `pastoral build` publishes them beside the index (src/site/build-site.ts), and
 * reports/components/file-cache.js (`partsOf`) fetches one relative to the index's address.
 */

/** A key column, and how its value reads in a file name (default: the value, made file-safe). */
export type PartKey = string | { column: string; name: (value: Row[string]) => string };

export const yearGroupKey: PartKey = { column: 'year_group', name: (v) => `y${v}` };

/** A key's column. */
export const keyColumn = (key: PartKey): string => (typeof key === 'string' ? key : key.column);

/** A value as one segment of a path: letters, digits, '-' and '_' only ('2025/26' → '2025-26'). */
export function pathSegment(value: Row[string]): string {
  const text = String(value ?? 'none').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return text === '' ? 'none' : text;
}

/** The members of a partitioned data set: index.arrow, then each part (marked `part`). */
export function partitionedMembers(rows: readonly Row[], columns: readonly string[], keys: readonly PartKey[]): PageMember[] {
  return new PartsWriter(columns, keys).add(rows).members();
}

/**
 * partitionedMembers of a query too large to read as row objects (a trust's hotspots: 1.65M rows):
 * its rows are encoded a chunk at a time from DuckDB's vectors, each part as soon as its last row
 * has come (src/page-data/query-parts.ts, the pupil timelines' path): the same parts, byte for
 * byte, as partitionedMembers gives for the same rows. The query gives the key values first (one
 * column per key, in `keys` order, under any names), then `columns`; its rows ordered by those
 * key columns, then as each part's rows should be. The index lists the parts in key order.
 */
export async function streamedPartitionMembers(query: MartQuery, columns: readonly string[], keys: readonly PartKey[]): Promise<PageMember[]> {
  const writer = new PartsWriter(columns, keys);
  const keyColumns = keys.map(keyColumn);
  await encodeQueryParts([query], columns, (p) => {
    if (p.keys.length !== keyColumns.length) throw new Error(`a streamed partition's query gives ${p.keys.length} key columns before its columns, not ${keyColumns.length} (${keyColumns.join(', ')})`);
    writer.addEncodedPart(Object.fromEntries(keyColumns.map((c, i) => [c, p.keys[i]])), p.data, p.rows);
  });
  return writer.members();
}

/**
 * Parts written a batch of rows at a time (e.g. one school's), so a large data set never has to
 * be held whole: each batch is grouped and encoded at once and its rows can be let go. A key's
 * rows must all come in one batch.
 */
export class PartsWriter {
  private readonly index: Row[] = [];
  /** Each file: its member and its content's SHA-256 (two parts' names agreeing on 12 hex digits must agree on all 64). */
  private readonly parts = new Map<string, { member: PageMember; sha256: string }>();
  private readonly seen = new Set<string>();

  /** Parts being written where they go (`place`), not yet done. */
  private readonly placing: Promise<void>[] = [];
  private unsettled = 0;

  /**
   * `place` (mart-export.ts, partPlacer: during an export), when given, writes each encoded part's
   * bytes where the export puts it, as it is added, so they are not held until the end: then
   * `settled()` must be awaited before `members()`.
   */
  constructor(
    private readonly columns: readonly string[],
    private readonly keys: readonly PartKey[],
    private readonly place?: ((name: string, data: Uint8Array) => { path: string; written: Promise<void> }) | null,
  ) {
    if (keys.length === 0) throw new Error('a partition needs at least one key column');
  }

  add(rows: readonly Row[]): this {
    const keyColumns = this.keys.map(keyColumn);
    const groups = new Map<string, { key: Row; rows: Row[] }>();
    // Rows usually come ordered by their part: a row with the previous row's key values joins its group.
    let previous: Row | null = null;
    let group: { key: Row; rows: Row[] } | undefined;
    for (const row of rows) {
      if (!previous || !keyColumns.every((c) => (row[c] ?? null) === (previous![c] ?? null))) {
        const key = Object.fromEntries(keyColumns.map((c) => [c, row[c] ?? null]));
        const id = JSON.stringify(Object.values(key));
        group = groups.get(id);
        if (!group) groups.set(id, (group = { key, rows: [] }));
      }
      group!.rows.push(row);
      previous = row;
    }
    for (const [id, { key, rows: partRows }] of groups) this.write(id, key, arrowFile(partRows, this.columns), partRows.length);
    return this;
  }

  /**
   * One part already encoded as an Arrow file (src/page-data/query-parts.ts), with its key values:
   * its bytes, or a file holding them, checked (a part taken from the previous build:
   * src/page-data/previous-build.ts, with its SHA-256). Returns the file it is published as and its
   * content's SHA-256.
   */
  addEncodedPart(key: Row, data: Uint8Array | FileBytes, rows: number): { file: string; sha256: string } {
    const keyValues = Object.fromEntries(this.keys.map((k) => [keyColumn(k), key[keyColumn(k)] ?? null]));
    return this.write(JSON.stringify(Object.values(keyValues)), keyValues, data, rows);
  }

  private write(id: string, key: Row, data: Uint8Array | FileBytes, rows: number): { file: string; sha256: string } {
    if (this.seen.has(id)) throw new Error(`the rows of part ${id} came in two batches`);
    this.seen.add(id);
    const last = this.keys[this.keys.length - 1];
    const digest = data instanceof Uint8Array ? createHash('sha256').update(data).digest('hex') : data.sha256;
    const hash = digest.slice(0, 12);
    const stem = typeof last === 'string' ? pathSegment(key[last]) : pathSegment(last.name(key[last.column]));
    const file = `${stem}.${hash}.arrow`;
    const same = this.parts.get(file);
    if (same && same.sha256 !== digest) throw new Error(`two different parts hash to ${file}`);
    if (!same) this.parts.set(file, { member: data instanceof Uint8Array ? this.placed(file, data, digest) : { name: file, file: data, part: true }, sha256: digest });
    this.index.push({ ...key, file, rows, bytes: data instanceof Uint8Array ? data.length : data.bytes });
    return { file, sha256: digest };
  }

  /**
   * An encoded part as a member: its bytes, or, with `place`, the file they are being written to
   * (stamped once written: stamps).
   */
  private placed(name: string, data: Uint8Array, sha256: string): PageMember {
    if (!this.place) return { name, data, part: true };
    const { path, written } = this.place(name, data);
    const file: FileBytes = { path, bytes: data.length, sha256 };
    this.unsettled += 1;
    const done = written.then(() => void (file.stamp = fileStamp(path))).finally(() => (this.unsettled -= 1));
    done.catch(() => {}); // awaited in settled()
    this.placing.push(done);
    return { name, file, part: true };
  }

  /**
   * Each part file's stamp (FileBytes.stamp), by name: of those written by `place`, as written, and
   * of those taken from the previous build, as checked. What a rebuild takes them by next time,
   * with no read (src/page-data/previous-build.ts, previousPartFile); a part kept in memory has none.
   */
  stamps(): Record<string, string> {
    if (this.unsettled > 0) throw new Error('parts are still being written: await settled() before stamps()');
    const stamps: Record<string, string> = {};
    for (const [name, { member }] of [...this.parts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (member.file?.stamp) stamps[name] = member.file.stamp;
    return stamps;
  }

  /** Once every part given to `place` is written (the first failure, if any). */
  async settled(): Promise<void> {
    await Promise.all(this.placing);
  }

  /** The index's rows so far: each part's key values, file, rows and bytes. */
  entries(): readonly Row[] {
    return this.index;
  }

  /** index.arrow, then every part. */
  members(): PageMember[] {
    if (this.unsettled > 0) throw new Error('parts are still being written: await settled() before members()');
    const indexColumns = [...this.keys.map(keyColumn), 'file', 'rows', 'bytes'];
    return [{ name: 'index.arrow', data: arrowFile(this.index, indexColumns) }, ...[...this.parts.values()].map((p) => p.member)];
  }
}
