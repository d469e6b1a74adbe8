import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { defaultMemoryLimit, isMemoryLimit, tempDirectoryFor } from './memory.ts';

/** Where the warehouse lives unless `--db` says otherwise (git-ignored). */
export const DEFAULT_DB_PATH = path.join('data', 'pastoral.duckdb');

export interface Warehouse {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /**
   * Another connection to the same database (its memory limit, threads and cache), for a query
   * that runs beside one on `connection`; closed with the warehouse.
   */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

export { defaultMemoryLimit, isMemoryLimit, tempDirectoryFor } from './memory.ts';

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB memory_limit, e.g. `4GB` (default: defaultMemoryLimit()). */
  memoryLimit?: string;
  /** DuckDB worker threads (default: the machine's available parallelism). */
  threads?: number;
  /**
   * The storage format of a file this open creates (default WAREHOUSE_STORAGE_VERSION); null
   * leaves DuckDB's own default (the benches' plain read, DuckDB as it comes).
   */
  storageVersion?: string | null;
}

/** The storage format a new warehouse file is written in (DuckDB's `STORAGE_VERSION`). */
export const WAREHOUSE_STORAGE_VERSION = 'v1.5.0';

/** DuckDB's name for a database held in memory only (tests, scratch work): no file is made. */
export const IN_MEMORY = ':memory:';

/**
 * Opens (creating if needed) the warehouse file, or an in-memory database for `:memory:`. Extension auto-install is switched off:
 * there is no network here or in most school offices, and a silent download attempt would
 * only turn into a slow, confusing failure. Every connection gets a memory limit and a
 * temporary folder beside the warehouse, so a trust-sized model spills to disk instead of
 * taking the machine's memory.
 */
export async function openWarehouse(dbPath: string, options: OpenOptions = {}): Promise<Warehouse> {
  // path.resolve(':memory:') would name a file `:memory:` in the working folder.
  const inMemory = dbPath === IN_MEMORY;
  const resolved = inMemory ? IN_MEMORY : path.resolve(dbPath);
  if (!options.readOnly && !inMemory) mkdirSync(path.dirname(resolved), { recursive: true });
  const memoryLimit = options.memoryLimit ?? process.env.PASTORAL_MEMORY_LIMIT ?? defaultMemoryLimit();
  if (!isMemoryLimit(memoryLimit)) {
    const from = options.memoryLimit === undefined ? ' (from PASTORAL_MEMORY_LIMIT)' : '';
    throw new Error(`memory limit "${memoryLimit}"${from} is not a size like 4GB or 800MB`);
  }
  const threads = options.threads ?? Math.max(1, os.availableParallelism());
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: memoryLimit,
    // In memory, spill into the system's temporary folder (one per process and thread) rather than
    // beside a file. A read-only instance does too: the site build opens several at once on one
    // warehouse (two export processes, a worker thread in one), and instances sharing the one
    // `<db>.tmp` folder would write and delete each other's spill files.
    temp_directory: inMemory || options.readOnly ? path.join(os.tmpdir(), `pastoral-duckdb-${process.pid}-${threadId}.tmp`) : tempDirectoryFor(resolved),
    threads: String(threads),
  };
  // A new warehouse file is written in DuckDB 1.5's storage format, not the 0.10.2 format DuckDB
  // writes by default so that older releases can read the file. The newer format keeps text in
  // a dictionary (DICT_FSST) that is cheaper to write: a full models run at the trust took 3–7%
  // less CPU (alternated runs), on a file 10% smaller (docs/performance.md, session 45). The
  // file records its format: a warehouse made before keeps the old one, and reads and writes as
  // before. Opening the file needs DuckDB 1.5 or later (the DuckDB CLI included).
  const storageVersion = options.storageVersion === undefined ? WAREHOUSE_STORAGE_VERSION : options.storageVersion;
  if (storageVersion !== null) config.storage_compatibility_version = storageVersion;
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  const instance = await DuckDBInstance.create(resolved, config);
  const connection = await instance.connect();
  if (!inMemory) {
    // DuckDB opens an existing data file (a CSV, a Parquet file) as a database held in memory,
    // reading the file as a view: an import into it would report success and keep nothing.
    const [{ file }] = await queryRows<{ file: string | null }>(connection, 'SELECT path AS file FROM duckdb_databases() WHERE database_name = current_database()');
    if (file === null) {
      connection.closeSync();
      instance.closeSync();
      throw new Error(`${dbPath} is not a warehouse file: DuckDB reads it as data (an export?), not as a database; give the warehouse's .duckdb file with --db`);
    }
  }
  // Text is not written with plain FSST: trying FSST on every text column of every row group
  // written was about a fifth of the cost of writing a text column (school_id, student_id, term…
  // on 4.4M pupil-weeks at a trust). Without it, at the trust, the import took 11–14% less CPU and
  // a full models run 2–7% less (alternated runs; docs/performance.md, session 28). The 1.5
  // format's dictionary (DICT_FSST) stays allowed: without it that format stores text
  // uncompressed (a trust's file 4.5 GB, not 0.9). A file written with FSST reads as before. (A
  // global setting of the instance, which DuckDB takes from SET, not from the config given at
  // creation.)
  if (!options.readOnly) await connection.run(`SET disabled_compression_methods = 'fsst'`);
  const others: DuckDBConnection[] = [];
  return {
    path: resolved,
    connection,
    async connect() {
      const other = await instance.connect();
      others.push(other);
      return other;
    },
    close() {
      for (const other of others) other.closeSync();
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function withWarehouse<T>(
  dbPath: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  const warehouse = await openWarehouse(dbPath, options);
  try {
    return await work(warehouse.connection);
  } finally {
    warehouse.close();
  }
}

/** Runs a query and returns plain JS rows (small results only: marts, counts, rejects). */
export async function queryRows<T = Record<string, unknown>>(
  connection: DuckDBConnection,
  sql: string,
  params?: Record<string, unknown> | unknown[],
): Promise<T[]> {
  const reader = params
    ? await connection.runAndReadAll(sql, params as never)
    : await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as T[];
}

/** Quotes an identifier for DuckDB. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
