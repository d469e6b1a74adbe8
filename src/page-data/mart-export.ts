import { linkSync, rmSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Compilable } from 'kysely';
import { createTar } from 'nanotar';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.ts';
import { inBatches } from './in-batches.ts';
import { forEachChunk, readColumns, type Columns } from './duckdb-columns.ts';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';

/**
 * Helpers for the Framework data loaders in reports/data/: each loader asks the warehouse for
 * marts and writes Arrow page data (one file, or an archive of files). A loader runs two ways:
 *
 * - **On its own** (`tsx reports/data/x.arrow.ts`, as `observable preview` runs it): it opens the
 *   warehouse read-only, and its file (or a tar archive of its members, written by nanotar) goes
 *   to stdout. The process around it (src/cli/page-loader.ts) sends logs to stderr and turns a
 *   failure into one line and exit 1.
 * - **Inside the page-data export** (src/site/page-data-export.ts, what `pastoral build` runs
 *   before Framework): every loader of the site is imported in one process that has opened the
 *   warehouse once (`exportSession`); each loader's output is written straight into Framework's
 *   loader cache (`<root>/.observablehq/cache/data/…`, one file per archive member), so Framework
 *   finds every file fresh and starts no loader process.
 *
 * The warehouse path comes from PASTORAL_DB (set by `pastoral build`).
 */
export function warehousePath(): string {
  const fromEnv = process.env.PASTORAL_DB;
  if (fromEnv) return fromEnv;
  return path.join(fileURLToPath(new URL('../../', import.meta.url)), 'data', 'pastoral.duckdb');
}

export type Row = Record<string, string | number | boolean | null>;

/**
 * One file of a loader's archive: its path inside the archive, e.g. "y7.arrow", and its bytes:
 * `data`, or `file`, a file already on disk whose bytes were checked (a part taken from the site
 * being replaced: src/page-data/previous-build.ts), which an export links rather than copies.
 */
export type PageMember = {
  name: string;
  /**
   * A part of a partitioned data set (src/page-data/page-parts.ts): no page names it, so Framework
   * would not publish it; during an export it goes to `cache/_parts/data/x/<name>`, which
   * `pastoral build` copies into the site's `_file/data/x/`.
   */
  part?: boolean;
} & ({ data: Uint8Array; file?: undefined } | { file: FileBytes; data?: undefined });

/** A file whose bytes are known: its path, size and SHA-256 (hex). */
export interface FileBytes {
  path: string;
  bytes: number;
  sha256: string;
  /**
   * A previous build's file: its size and modification time when its bytes were checked
   * (`<bytes>:<mtime in ns>`), for the next build to take it by (src/page-data/previous-build.ts).
   */
  stamp?: string;
}

/** A member's size in bytes. */
const memberBytes = (m: PageMember): number => (m.data ? m.data.length : m.file.bytes);

/** Where an export puts the parts of a loader's archive whose members go to `cacheDir` (`…/cache/data/x`). */
export const partsDirFor = (cacheDir: string): string =>
  path.join(path.dirname(path.dirname(cacheDir)), '_parts', path.basename(path.dirname(cacheDir)), path.basename(cacheDir));

export interface WrittenFile {
  file: string;
  bytes: number;
  /** A part (src/page-data/page-parts.ts), under `cache/_parts/data/`. */
  part?: true;
}

/** Where the current loader's output goes during an export: its cache path (`…/cache/data/x.arrow` or, for `x.tar`, the folder `…/cache/data/x`). */
interface ExportTarget {
  /** The loader's output name relative to the data folder: "watchlist.arrow", "hotspots.tar". */
  name: string;
  /** `<root>/.observablehq/cache/data/<name>` (for an archive: without ".tar", a folder of members). */
  cachePath: string;
  /** Files written, relative to the cache's data folder, with their sizes. */
  written: WrittenFile[];
}

/** The export in progress (src/site/page-data-export.ts): one warehouse connection shared by every loader. */
let session: { warehouse: Warehouse; second?: DuckDBConnection; target: ExportTarget | null; memo: Map<string, Promise<unknown>> } | null = null;

/**
 * Runs `fn` with one read-only warehouse connection that every loader imported meanwhile uses
 * (queryMart, withMartConnection), instead of each opening its own.
 */
export async function exportSession<T>(dbPath: string, fn: () => Promise<T>): Promise<T> {
  if (session) throw new Error('a page-data export is already running in this process');
  session = { warehouse: await openWarehouse(dbPath, { readOnly: true }), target: null, memo: new Map() };
  try {
    return await fn();
  } finally {
    session.warehouse.close();
    session = null;
  }
}

/**
 * Inside an export session: runs one loader (`load`, typically `import(loaderUrl)`) with its
 * output sent to `cachePath`. Returns the files it wrote; a loader's error is thrown as it is.
 */
export async function exportLoader(name: string, cachePath: string, load: () => Promise<unknown>): Promise<WrittenFile[]> {
  if (!session) throw new Error('exportLoader runs inside exportSession');
  session.target = { name, cachePath, written: [] };
  try {
    await load();
    if (session.target.written.length === 0) throw new Error(`${name} wrote no page data`);
    return session.target.written;
  } finally {
    session.target = null;
  }
}

/**
 * What `compute` gives, worked out once per export session under `key` and shared by every
 * loader after the first that asks (the warehouse is read-only and the same for all of them);
 * outside a session, worked out on each call. For what several loaders read alike, such as the
 * model runner's record (src/page-data/year-inputs.ts). The value is shared: callers must not
 * change it.
 */
export function sessionMemo<T>(key: string, compute: () => Promise<T>): Promise<T> {
  if (!session) return compute();
  let value = session.memo.get(key) as Promise<T> | undefined;
  if (!value) session.memo.set(key, (value = compute()));
  return value;
}

/** Whether a loader runs inside a site build's export (its output into the loader cache), not on its own. */
export function exportingToCache(): boolean {
  return session?.target != null;
}

/**
 * During an export, where a part named `name` of the current loader goes (emitArchive puts it
 * there), and a function writing a part's bytes there now: a loader streaming thousands of parts
 * (the pupil timelines: 690 MB in a trust) writes each as it is encoded, beside the encoding,
 * instead of holding them all until emitArchive. Null outside an export (the archive goes to
 * stdout whole).
 */
export function partPlacer(): ((name: string, data: Uint8Array) => { path: string; written: Promise<void> }) | null {
  const target = session?.target;
  if (!target) return null;
  const partsDir = partsDirFor(target.cachePath);
  let made: Promise<unknown> | null = null;
  return (name, data) => {
    // A part's name is one file name (page-parts.ts: `<key>.<hash>.arrow`), never a folder.
    if (name.includes('/') || name.includes(path.sep)) throw new Error(`a part is named by a file name, not "${name}"`);
    const file = path.join(partsDir, name);
    made ??= mkdir(partsDir, { recursive: true });
    return { path: file, written: made.then(() => writeFile(file, data)) };
  };
}

/** The warehouse the loaders read: the export session's, else PASTORAL_DB's (warehousePath). */
export function currentWarehousePath(): string {
  return session?.warehouse.path ?? warehousePath();
}

/** Runs `fn` on a read-only warehouse connection: the export's shared one, or one opened for the call. */
export async function withMartConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  if (session) return fn(session.warehouse.connection);
  const warehouse = await openWarehouse(warehousePath(), { readOnly: true });
  try {
    return await fn(warehouse.connection);
  } finally {
    warehouse.close();
  }
}

/** A query: SQL text, a typed Kysely query on the marts (src/warehouse/query-builder.ts), or one already compiled (SQL and parameters). */
export type MartQuery = string | Compilable<unknown> | CompiledMartQuery;

export interface CompiledMartQuery {
  sql: string;
  parameters: readonly unknown[];
}

/** A query as SQL text and its parameters (what a worker thread is sent: src/page-data/query-parts.ts). */
export function compile(query: MartQuery): CompiledMartQuery {
  if (typeof query === 'string') return { sql: query, parameters: [] };
  if ('compile' in query) {
    const { sql, parameters } = query.compile();
    return { sql, parameters };
  }
  return query;
}

/**
 * Runs SQL, or a typed Kysely query on the marts, read-only: rows of plain values (DATE →
 * 'YYYY-MM-DD', TIMESTAMP → 'YYYY-MM-DDTHH:MM', BIGINT → number; src/page-data/duckdb-columns.ts).
 */
export async function queryMart(query: MartQuery): Promise<Row[]> {
  const { names, values, rows } = await queryMartColumns(query);
  const out: Row[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = values[c][r];
    out[r] = row;
  }
  return out;
}

/** The same as queryMart, as columns of values (no row objects: for large results). */
export async function queryMartColumns(query: MartQuery): Promise<Columns> {
  const { sql, parameters } = compile(query);
  return withMartConnection((connection) => readColumns(connection, sql, parameters));
}

/**
 * Several queries' results, one after another, a chunk at a time (`onChunk(index, chunk)`, then
 * `onEnd(index)` after each query's last chunk), with the next query started on a second
 * connection as soon as the current one's rows begin to come: DuckDB then runs it (its sort,
 * say) on its own threads while JavaScript reads the current one. At most two results are held
 * at once. For a loader that asks one large mart for its rows school by school.
 *
 * `claim` says which query to run next (its index in `queries`; null: no more), asked each time
 * one is started: by default each in turn. Two threads sharing the queries each claim the next
 * one left when they are ready for it (src/page-data/query-parts.ts, claimInTurn).
 */
export async function streamMartsInTurn(
  queries: readonly MartQuery[],
  onChunk: (index: number, chunk: DuckDBDataChunk) => void | Promise<void>,
  onEnd: (index: number) => void | Promise<void> = () => {},
  claim: () => number | null = inTurn(queries.length),
): Promise<void> {
  const run = async (connections: readonly [DuckDBConnection, DuckDBConnection]) => {
    type Started = { index: number; result: DuckDBResult; first: Promise<DuckDBDataChunk | null> };
    // The connections alternate: the query started ahead never shares one with the query being read.
    let started = 0;
    const start = async (index: number, connection: DuckDBConnection): Promise<Started> => {
      const { sql, parameters } = compile(queries[index]);
      const result = await connection.stream(sql, parameters as never);
      // Asked for at once, so a query that must finish (a sort) before its first row does so now.
      const first = result.fetchChunk();
      first.catch(() => null); // handled where it is awaited (a failure must not end the process first)
      return { index, result, first };
    };
    const ahead = (): Promise<Started> | null => {
      const index = claim();
      if (index === null) return null;
      if (!Number.isInteger(index) || index < 0 || index >= queries.length) throw new Error(`claimed query ${index} of ${queries.length}`);
      const pending = start(index, connections[started++ % 2]);
      pending.catch(() => null); // likewise
      return pending;
    };
    let pending = ahead();
    try {
      while (pending) {
        const current = await pending;
        pending = ahead();
        await forEachChunk(current.result, (chunk) => onChunk(current.index, chunk), current.first);
        await onEnd(current.index);
      }
    } finally {
      // A query started ahead must end before its connection is closed.
      if (pending) await pending.then((p) => p.first).catch(() => null);
    }
  };
  if (session) {
    session.second ??= await session.warehouse.connect();
    return run([session.warehouse.connection, session.second]);
  }
  const warehouse = await openWarehouse(warehousePath(), { readOnly: true });
  try {
    return await run([warehouse.connection, await warehouse.connect()]);
  } finally {
    warehouse.close();
  }
}

/** Each of `count` queries in turn, then no more. */
function inTurn(count: number): () => number | null {
  let next = 0;
  return () => (next < count ? next++ : null);
}

function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}

async function writeCacheFile(target: ExportTarget, file: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
  target.written.push(writtenFile(target, file, data.length));
}

/** A file written under the export's cache, as the summary lists it. */
function writtenFile(target: ExportTarget, file: string, bytes: number): WrittenFile {
  // Relative to the cache's data/ folder ("hotspots/index.arrow"), or to _parts/data/ for a part.
  const dataDir = path.dirname(target.cachePath);
  const partsData = path.dirname(partsDirFor(target.cachePath));
  const inParts = !path.relative(partsData, file).startsWith('..');
  return { file: path.relative(inParts ? partsData : dataDir, file).split(path.sep).join('/'), bytes, ...(inParts && { part: true }) };
}

/**
 * Puts a member's bytes at `file`. A part whose bytes are a file already (taken from the previous
 * site) is hard-linked where the file system allows: a trust's rebuild takes hundreds of MB of
 * parts, which would otherwise be read and written again. Never a file a page names: Framework
 * judges those fresh by their time, which a link keeps from the previous build.
 */
async function putMember(m: PageMember, file: string): Promise<void> {
  if (m.data) return writeFile(file, m.data);
  if (m.file.path === file) return; // written there already (partPlacer)
  if (m.part && linkedPart(m.file.path, file)) return;
  // Another volume, or a file system without links: a copy.
  await copyFile(m.file.path, file);
}

/**
 * Links a taken part's file `from` at `file`; false when no link can be made. Synchronous: a
 * trust's week takes 11,000 timeline parts, and a link (with the checks before it) through the
 * thread pool and a promise cost four to five times the CPU of the calls themselves
 * (docs/performance.md, "Session 43"). A file left by an export that was not cleared away is
 * kept when it is the very file (the previous export linked it: a rebuild over its own cache
 * takes thousands of parts, and an unlink and a link each would rewrite the folder), else
 * replaced (a part's name is its content's hash).
 */
function linkedPart(from: string, file: string): boolean {
  try {
    linkSync(from, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  if (sameFile(from, file)) return true;
  rmSync(file, { force: true });
  try {
    linkSync(from, file);
    return true;
  } catch {
    return false;
  }
}

/** Whether two paths name one file (hard links of one inode). */
function sameFile(a: string, b: string): boolean {
  const x = statSync(a, { bigint: true, throwIfNoEntry: false });
  const y = statSync(b, { bigint: true, throwIfNoEntry: false });
  return x !== undefined && y !== undefined && x.ino === y.ino && x.dev === y.dev;
}

/** How many members an export writes at once: the writes wait on the disk, not on JavaScript. */
const WRITES_AT_ONCE = 16;

/** A loader's single file (an `x.arrow.ts` loader): to stdout, or into the cache during an export. */
export async function emitFile(data: Uint8Array): Promise<void> {
  const target = session?.target;
  if (target) await writeCacheFile(target, target.cachePath, data);
  else await writeStdout(data);
}

/** Where an export puts a loader's build state (`…/cache/_state/<file>`), which `pastoral build` copies into the site's `.pastoral-build/`. */
export const stateDirFor = (cacheDir: string): string => path.join(path.dirname(path.dirname(cacheDir)), '_state');

/**
 * A loader's note for the next build of the same site (src/page-data/timeline-reuse.ts): during
 * an export, written to the cache's `_state/` folder (not page data: no page fetches it, and the
 * static server never serves it); run on its own (Framework's preview), nowhere.
 */
export async function emitBuildState(file: string, text: string): Promise<void> {
  const target = session?.target;
  if (!target) return;
  if (!/^[A-Za-z0-9._-]+$/.test(file) || file.startsWith('.')) throw new Error(`build state file name not allowed: "${file}"`);
  const dir = stateDirFor(target.cachePath);
  await mkdir(dir, { recursive: true });
  // A new file, renamed into place, not the old one written over: a build hard-links the state
  // into the site it publishes (src/site/build-site.ts), so where the cache was not cleared since
  // (buildSite clears it first; a loader run on its own does not), writing over it would change
  // the live site's state.
  const next = path.join(dir, `.${file}.${process.pid}.next`);
  await writeFile(next, text);
  await rename(next, path.join(dir, file));
}

/**
 * A loader's archive (an `x.tar.ts` loader): a tar of the members on stdout (nanotar), or,
 * during an export, each member written where Framework would extract it
 * (`cache/data/x/<member>`), so nothing is archived and nothing extracted.
 */
export async function emitArchive(members: readonly PageMember[]): Promise<void> {
  const names = new Set<string>();
  for (const m of members) {
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(m.name) || m.name.split('/').includes('..')) throw new Error(`archive member name not allowed: "${m.name}"`);
    if (names.has(m.name)) throw new Error(`duplicate archive member: ${m.name}`);
    names.add(m.name);
  }
  const target = session?.target;
  if (target) {
    const partsDir = partsDirFor(target.cachePath);
    const files = members.map((m) => path.join(m.part ? partsDir : target.cachePath, ...m.name.split('/')));
    for (const dir of new Set(files.map((f) => path.dirname(f)))) await mkdir(dir, { recursive: true });
    // Several at once (a trust's timelines are 10,000 files), listed in the members' order.
    await inBatches(members, WRITES_AT_ONCE, (m, i) => putMember(m, files[i]));
    target.written.push(...members.map((m, i) => writtenFile(target, files[i], memberBytes(m))));
    return;
  }
  // A fixed mtime: the same data gives the same archive, byte for byte.
  const tar = [];
  for (const m of members) tar.push({ name: m.name, data: m.data ?? (await readFile(m.file.path)), attrs: { mtime: 0, mode: '644', uid: 0, gid: 0 } });
  await writeStdout(createTar(tar));
}

/**
 * Runs a loader's body. The process around it (src/cli/page-loader.ts, which Framework starts
 * for each loader) keeps stdout for the data and turns a failure into one line and exit 1;
 * nothing here touches `console` or the process.
 */
export async function runLoader(body: () => Promise<void>): Promise<void> {
  await body();
}
