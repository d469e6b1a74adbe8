import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { arrowFileOfChunkRanges } from './chunk-arrow.ts';
import { chunkVector, columnRuns, validBits, type Plain, type RawVector } from './duckdb-columns.ts';
import { DuckDBTypeId, type DuckDBDataChunk } from '@duckdb/node-api';
import { compile, currentWarehousePath, streamMartsInTurn, type MartQuery } from './mart-export.ts';

/**
 * Page-data parts encoded from queries whose rows come ordered by part, the columns before
 * `columns` naming the part (the pupil timelines: one query per school, its rows ordered by
 * academic year and detail part):
 *
 *   await encodeQueryPartsInThreads(queries, columns, (p) => writer.addEncodedPart(…, p.data, p.rows));
 *
 * Each part is an Arrow file of `columns` (the query's last columns), encoded as
 * soon as its last row has come, so millions of rows are never held whole. The queries are
 * shared between this thread and a worker thread (each with its own read-only connection to
 * the warehouse, each taking the next query left when it is ready for one: claimInTurn), so on
 * two cores the reading and encoding, which is one thread of JavaScript, runs twice at once;
 * within each thread the next query starts while the current one is read (streamMartsInTurn).
 * Parts come in no fixed order between the two.
 */
export interface EncodedPart {
  /** Which query (its index in `queries`). */
  query: number;
  /**
   * The values of the query's key columns (those before `columns`) for the part's rows, as text,
   * joined by '|'. Short key columns rather than one joined in SQL: text of more than 12 bytes is
   * read with a call into DuckDB per row (a sorted result's equal long strings are not stored once).
   */
  part: string;
  /** The key columns' values for the part's rows (as appendColumn reads them: numbers stay numbers). */
  keys: Plain[];
  /**
   * Which piece of that part (0, 1, …): 0 unless a PieceLimit cut the part's rows into pieces.
   */
  piece: number;
  /** With a PieceLimit: the distinct values of its `unit` column in this piece, as text, in order. */
  units?: string[];
  /** The part's Arrow IPC file. */
  data: Uint8Array;
  rows: number;
  /** With PartOptions.rowHash: the exact sum and the xor of the part's rows' hashes, in decimal. */
  rowHash?: { sum: string; xor: string };
}

/** How encodeQueryParts reads its queries' rows. */
export interface PartOptions {
  /** Cut each part into pieces of whole units. */
  limit?: PieceLimit;
  /**
   * The query's first column is a 64-bit hash of each row (a UBIGINT, DuckDB's `hash(…)`), not a
   * key: each part gets the sum and xor of its rows' hashes (`rowHash`), what a GROUP BY of the
   * same rows gives with `CAST(sum(h) AS VARCHAR)` and `CAST(bit_xor(h) AS VARCHAR)`. The pupil
   * timelines' fingerprints, taken as a clean build encodes its parts rather than in a second scan
   * (src/page-data/timeline-parts.ts, timelineFingerprintQuery).
   */
  rowHash?: boolean;
}

/**
 * Cuts a part's rows into pieces of at most `rows` rows, never splitting the rows of one value of
 * `unit` (a column of `columns`, by which the rows within a part come ordered): a unit whose rows
 * would take the piece past the limit starts the next piece (a unit with more rows than the limit
 * is a piece of its own). What a page fetches is one piece, so its size is bounded by the limit
 * (or one unit's rows) however many rows the part has: a trust's pupil timelines, 1/64 of a
 * school's pupils a part, grow with the years held.
 */
export interface PieceLimit {
  rows: number;
  unit: string;
}

/** Rows of a chunk not yet put in a part: the current unit's, until its size is known. */
type Segment = { chunk: DuckDBDataChunk; from: number; to: number };

/**
 * In this thread: each query's rows split into parts at each change of its key columns (and into
 * pieces by `limit`), each encoded as it ends; the queries `claim` gives (by default all, in turn).
 */
export async function encodeQueryParts(
  queries: readonly MartQuery[],
  columns: readonly string[],
  onPart: (part: EncodedPart) => void | Promise<void>,
  { limit, rowHash = false }: PartOptions = {},
  claim?: () => number | null,
): Promise<void> {
  const firstKey = rowHash ? 1 : 0;
  const unitColumn = limit ? columns.indexOf(limit.unit) : -1;
  if (limit && unitColumn < 0) throw new Error(`the piece limit's unit ${limit.unit} is not among the columns`);
  // A part (or piece) being filled: its rows as ranges of chunks, read into columns only when it
  // is encoded (one read per chunk and column however many units it holds).
  type Open = { query: number; key: string; keys: Plain[]; piece: number; segments: Segment[]; rows: number; units: string[] };
  let part: Open | null = null;
  // With a limit: the unit being read (its rows are placed once the next unit, part or query begins).
  let unit: { name: string; segments: Segment[]; rows: number } | null = null;
  const append = (open: Open, segment: Segment) => {
    const last = open.segments.at(-1);
    if (last && last.chunk === segment.chunk && last.to === segment.from) last.to = segment.to;
    else open.segments.push({ ...segment });
    open.rows += segment.to - segment.from;
  };
  const encode = async (done: Open) => {
    await onPart({
      query: done.query,
      part: done.key,
      keys: done.keys,
      piece: done.piece,
      ...(limit && { units: done.units }),
      // The key columns name the part; the part's columns follow them. Encoded from the chunks'
      // vectors (no JS values: src/page-data/chunk-arrow.ts).
      data: arrowFileOfChunkRanges(columns, done.segments, done.segments[0].chunk.columnCount - columns.length),
      rows: done.rows,
      ...(rowHash && { rowHash: hashTotals(done.segments) }),
    });
  };
  /** The unit just read goes into the open piece, or, if it would take it past the limit, into the next one. */
  const placeUnit = async () => {
    if (!unit || !part || !limit) return;
    const open: Open = part;
    if (open.rows > 0 && open.rows + unit.rows > limit.rows) {
      await encode(open);
      part = { ...open, piece: open.piece + 1, segments: [], rows: 0, units: [] };
    }
    const into = part as Open;
    for (const segment of unit.segments) append(into, segment);
    into.units.push(unit.name);
    unit = null;
  };
  const flush = async () => {
    await placeUnit();
    if (!part) return;
    const done: Open = part;
    part = null;
    await encode(done);
  };
  await streamMartsInTurn(
    queries,
    async (index, chunk) => {
      // Runs of equal values, not a value per row: the rows come ordered by part and unit.
      const keyCount = chunk.columnCount - columns.length - firstKey;
      if (keyCount < 1) throw new Error(`a parts query names its part in the columns before its ${columns.length} columns${rowHash ? ' (after its row hash)' : ''}; it has ${chunk.columnCount} in all`);
      const keys = keyRuns(chunk, firstKey, keyCount);
      const units = limit ? columnRuns(chunk, unitColumn + firstKey + keyCount) : null;
      let u = 0;
      let from = 0;
      for (let k = 0; k < keys.ends.length; k++) {
        const key = keys.values[k];
        const to = keys.ends[k];
        if (part && (part.query !== index || part.key !== key)) await flush();
        if (!part) part = { query: index, key, keys: keys.raw[k], piece: 0, segments: [], rows: 0, units: [] };
        if (!units) append(part, { chunk, from, to });
        else {
          // Unit by unit: each unit's rows are held (as ranges of chunks) until it ends.
          let start = from;
          while (start < to) {
            while (units.ends[u] <= start) u++;
            const name = String(units.values[u]);
            const end = Math.min(units.ends[u], to);
            if (unit && unit.name !== name) await placeUnit();
            unit ??= { name, segments: [], rows: 0 };
            unit.segments.push({ chunk, from: start, to: end });
            unit.rows += end - start;
            start = end;
          }
        }
        from = to;
      }
    },
    flush,
    claim,
  );
}

/** Runs of `count` columns from `first` taken together: each run's values (`raw`), and as text joined by '|'. */
function keyRuns(chunk: DuckDBDataChunk, first: number, count: number): { values: string[]; raw: Plain[][]; ends: number[] } {
  const runs = Array.from({ length: count }, (_, c) => columnRuns(chunk, first + c));
  const at = runs.map(() => 0);
  const values: string[] = [];
  const raw: Plain[][] = [];
  const ends: number[] = [];
  for (let row = 0; row < chunk.rowCount; ) {
    const end = Math.min(...runs.map((r, c) => r.ends[at[c]]));
    const run = runs.map((r, c) => r.values[at[c]]);
    raw.push(run);
    values.push(run.map(String).join('|'));
    ends.push(end);
    runs.forEach((r, c) => r.ends[at[c]] === end && at[c]++);
    row = end;
  }
  return { values, raw, ends };
}

/**
 * The exact sum and the xor of the UBIGINT hashes in column 0 of the ranges' rows, in decimal.
 * Read as 32-bit halves (little-endian) from the vector's array, no BigInt a row: a chunk's
 * halves add up to under 2^43, so a range's sums are exact as numbers, added into a BigInt once.
 */
function hashTotals(ranges: readonly Segment[]): { sum: string; xor: string } {
  let sum = 0n;
  let xorLow = 0;
  let xorHigh = 0;
  for (const { chunk, from, to } of ranges) {
    const vector = chunkVector(chunk, 0);
    if (vector.type.typeId !== DuckDBTypeId.UBIGINT) throw new Error(`a row hash is a UBIGINT, not ${vector.type.toString()}`);
    const raw = vector as unknown as RawVector;
    const valid = validBits(raw);
    if (valid) for (let j = from; j < to; j++) if (!((valid[j >>> 5] >>> (j & 31)) & 1)) throw new Error('a row hash is never null');
    const items = raw.items as BigUint64Array;
    const words = new Uint32Array(items.buffer, items.byteOffset, items.length * 2);
    let low = 0;
    let high = 0;
    for (let j = from; j < to; j++) {
      low += words[2 * j];
      high += words[2 * j + 1];
      xorLow ^= words[2 * j];
      xorHigh ^= words[2 * j + 1];
    }
    sum += (BigInt(high) << 32n) + BigInt(low);
  }
  return { sum: String(sum), xor: String((BigInt(xorHigh >>> 0) << 32n) | BigInt(xorLow >>> 0)) };
}

const WORKER = new URL('./query-parts-worker.mjs', import.meta.url);

/** How many threads encodeQueryPartsInThreads encodes in by default: two where the machine has two cores or more. */
export const PART_THREADS = Math.min(2, os.availableParallelism());

/**
 * The next of `count` queries not yet taken by any thread sharing `next` (an Int32Array over a
 * SharedArrayBuffer, starting at 0), or null when none is left. The threads' shares are not fixed:
 * a thread slowed by other work (this one also writes the parts) takes fewer queries.
 */
export function claimInTurn(next: Int32Array, count: number): () => number | null {
  return () => {
    const index = Atomics.add(next, 0, 1);
    return index < count ? index : null;
  };
}

/**
 * encodeQueryParts, the queries shared with a worker thread when the machine has more than one
 * core and there is more than one query: each thread takes the next query left (claimInTurn). A
 * failure in either thread rejects, once both have stopped.
 */
export async function encodeQueryPartsInThreads(
  queries: readonly MartQuery[],
  columns: readonly string[],
  onPart: (part: EncodedPart) => void | Promise<void>,
  threads: number = PART_THREADS,
  options: PartOptions = {},
): Promise<void> {
  if (threads < 2 || queries.length < 2) return encodeQueryParts(queries, columns, onPart, options);
  const compiled = queries.map((q) => compile(q));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { workerData: { db: currentWarehousePath(), queries: compiled, columns, options, next } });
  let received: Promise<void> = Promise.resolve();
  const workerDone = new Promise<void>((resolve, reject) => {
    let failed: Error | null = null;
    worker.on('message', (message: { part?: EncodedPart; error?: string }) => {
      if (message.error) {
        failed ??= new Error(message.error);
        // Nothing more for either thread to start.
        Atomics.store(next, 0, compiled.length);
      } else if (message.part) {
        const part = message.part;
        received = received.then(() => onPart(part));
        received.catch(() => null); // awaited below
      }
    });
    worker.on('error', (error) => (failed ??= error));
    worker.on('exit', (code) => {
      const error = failed ?? (code === 0 ? null : new Error(`the page-data worker thread stopped with code ${code}`));
      if (error) reject(error);
      else resolve();
    });
  });
  workerDone.catch(() => null); // awaited below, after this thread's share
  const own = encodeQueryParts(compiled, columns, onPart, options, claimInTurn(next, compiled.length)).catch((error: unknown) => {
    Atomics.store(next, 0, compiled.length);
    throw error;
  });
  const results = await Promise.allSettled([own, workerDone]);
  await received;
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
