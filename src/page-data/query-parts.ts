import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { arrowFileOfColumns } from './arrow-file.ts';
import { appendColumn, type Plain } from './duckdb-columns.ts';
import { compile, currentWarehousePath, streamMartsInTurn, type MartQuery } from './mart-export.ts';

/**
 * Page-data parts encoded from queries whose rows come ordered by part, the first column naming
 * the part (the pupil timelines: one query per school, its rows ordered by detail file):
 *
 *   await encodeQueryPartsInThreads(queries, columns, (p) => writer.addEncodedPart(…, p.data, p.rows));
 *
 * Each part is an Arrow file of `columns` (the query's columns after the first), encoded as
 * soon as its last row has come, so millions of rows are never held whole. The queries are
 * shared between this thread and a worker thread (each with its own read-only connection to
 * the warehouse, taking every other query), so on two cores the reading and encoding, which is
 * one thread of JavaScript, runs twice at once; within each thread the next query starts while
 * the current one is read (streamMartsInTurn). Parts come in no fixed order between the two.
 */
export interface EncodedPart {
  /** Which query (its index in `queries`). */
  query: number;
  /** The value of the query's first column for the part's rows, as text. */
  part: string;
  /** The part's Arrow IPC file. */
  data: Uint8Array;
  rows: number;
}

/** In this thread: each query's rows split into parts at each change of its first column, each part encoded as it ends. */
export async function encodeQueryParts(
  queries: readonly MartQuery[],
  columns: readonly string[],
  onPart: (part: EncodedPart) => void | Promise<void>,
): Promise<void> {
  let part: { query: number; key: string; values: Plain[][]; rows: number } | null = null;
  const flush = async () => {
    if (!part) return;
    const done = part;
    part = null;
    await onPart({ query: done.query, part: done.key, data: arrowFileOfColumns(columns, done.values), rows: done.rows });
  };
  await streamMartsInTurn(
    queries,
    async (index, chunk) => {
      const keys: Plain[] = [];
      appendColumn(chunk, 0, keys);
      const rows = chunk.rowCount;
      let from = 0;
      while (from < rows) {
        const key = String(keys[from]);
        let to = from + 1;
        while (to < rows && keys[to] === keys[from]) to++;
        if (part && (part.query !== index || part.key !== key)) await flush();
        if (!part) part = { query: index, key, values: columns.map(() => []), rows: 0 };
        // Column 0 names the part; the part's columns follow it.
        for (let c = 0; c < columns.length; c++) appendColumn(chunk, c + 1, part.values[c], from, to);
        part.rows += to - from;
        from = to;
      }
    },
    flush,
  );
}

const WORKER = new URL('./query-parts-worker.mjs', import.meta.url);

/**
 * encodeQueryParts, the queries shared with a worker thread (every other one, from the second)
 * when the machine has more than one core and there is more than one query. A failure in
 * either thread rejects, once both have stopped.
 */
export async function encodeQueryPartsInThreads(
  queries: readonly MartQuery[],
  columns: readonly string[],
  onPart: (part: EncodedPart) => void | Promise<void>,
  threads: number = Math.min(2, os.availableParallelism()),
): Promise<void> {
  if (threads < 2 || queries.length < 2) return encodeQueryParts(queries, columns, onPart);
  const mine = queries.filter((_, i) => i % 2 === 0);
  const theirs = queries.filter((_, i) => i % 2 === 1).map((q) => compile(q));
  const worker = new Worker(WORKER, { workerData: { db: currentWarehousePath(), queries: theirs, columns } });
  let received: Promise<void> = Promise.resolve();
  const workerDone = new Promise<void>((resolve, reject) => {
    let failed: Error | null = null;
    worker.on('message', (message: { part?: EncodedPart; error?: string }) => {
      if (message.error) failed ??= new Error(message.error);
      else if (message.part) {
        const part = { ...message.part, query: 2 * message.part.query + 1 };
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
  const own = encodeQueryParts(mine, columns, (p) => onPart({ ...p, query: 2 * p.query }));
  const results = await Promise.allSettled([own, workerDone]);
  await received;
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
