import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { storageVersionOf } from './storage-format.ts';
import { IN_MEMORY, WAREHOUSE_STORAGE_VERSION, ident, literal, openWarehouse, queryRows, withWarehouse } from './warehouse.ts';

/** What `compactWarehouse` copied, and the file's size before and after. */
export interface CompactReport {
  path: string;
  /** Tables copied (every schema: raw, main, the runner's state), each checked against its source. */
  tables: number;
  rows: number;
  bytesBefore: number;
  bytesAfter: number;
  /** The file's storage format before, as DuckDB tags it (`v1.0.0+`, `v1.5.0+`). */
  formatBefore: string | null;
}

// The two files as the copy attaches them.
const FROM = 'compact_from';
const TO = 'compact_to';

/** Count, sum and xor of a hash of every row of one table: equal on both sides when the rows are. */
const fingerprint = (catalog: string, schema: string, table: string) =>
  `SELECT count(*)::BIGINT AS n, CAST(sum(hash(r)::HUGEINT) AS VARCHAR) || ' ' || CAST(bit_xor(hash(r)) AS VARCHAR) AS print
   FROM ${catalog}.${ident(schema)}.${ident(table)} AS r`;

/** What else the copy must carry, counted on both sides. */
const OBJECTS = [
  { label: 'views', from: 'duckdb_views()', where: 'NOT internal' },
  { label: 'macros', from: 'duckdb_functions()', where: "function_type LIKE '%macro%' AND NOT internal" },
  { label: 'sequences', from: 'duckdb_sequences()', where: 'true' },
];

/**
 * Rewrites the warehouse into a new file and puts it in the old one's place: the file then holds
 * only the rows there are now, in the current storage format (WAREHOUSE_STORAGE_VERSION).
 * - After `pastoral purge`, the space of deleted rows is not overwritten at once: the copy leaves
 *   no trace of the purged pupils in the file (docs/serving.md, "Retention").
 * - A warehouse made before session 45 is in DuckDB's 0.10.2 format, which it keeps: the copy
 *   moves it to the 1.5 format, cheaper to write (docs/performance.md, session 45).
 * Every table of every schema is copied with its views, macros and sequences (`COPY FROM
 * DATABASE`), and each table's row count and row hashes are checked against the original before
 * the new file replaces it. Until then the warehouse is untouched: a failure leaves it as it was
 * and removes the half-made copy. The models' stored state comes along, so the next `pastoral
 * models` finds nothing changed.
 */
export async function compactWarehouse(dbPath: string): Promise<CompactReport> {
  const file = path.resolve(dbPath);
  if (!existsSync(file)) throw new Error(`no warehouse at ${file}`);
  // Fold a write-ahead log into the file first: the copy reads the file read-only, and a log
  // left beside the new file would be replayed into it.
  const formatBefore = await withWarehouse(file, async (c) => {
    await c.run('CHECKPOINT');
    return storageVersionOf(c);
  });
  if (existsSync(`${file}.wal`)) throw new Error(`${file}.wal is still there after a checkpoint: is the warehouse open in another program?`);
  const bytesBefore = statSync(file).size;
  const copy = `${file}.compact`;
  const removeCopy = () => {
    for (const f of [copy, `${copy}.wal`]) rmSync(f, { force: true });
  };
  if (existsSync(copy) && statSync(copy).isDirectory()) throw new Error(`${copy} is a folder where the copy is written: move it out of the way`);
  removeCopy();
  const memory = await openWarehouse(IN_MEMORY);
  let tables: { schema_name: string; table_name: string }[] = [];
  let rows = 0;
  try {
    const c = memory.connection;
    await c.run(`ATTACH ${literal(file)} AS ${FROM} (READ_ONLY)`);
    await c.run(`ATTACH ${literal(copy)} AS ${TO} (STORAGE_VERSION '${WAREHOUSE_STORAGE_VERSION}')`);
    await c.run(`COPY FROM DATABASE ${FROM} TO ${TO}`);
    tables = await queryRows(c, `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = '${FROM}' ORDER BY 1, 2`);
    for (const { schema_name, table_name } of tables) {
      const [before] = await queryRows<{ n: bigint; print: string }>(c, fingerprint(FROM, schema_name, table_name));
      const [after] = await queryRows<{ n: bigint; print: string }>(c, fingerprint(TO, schema_name, table_name));
      if (before.n !== after.n || before.print !== after.print) {
        throw new Error(`the copy of ${schema_name}.${table_name} differs from the warehouse (${before.n} rows, copied ${after.n}): the warehouse was left as it was`);
      }
      rows += Number(before.n);
    }
    for (const { label, from, where } of OBJECTS) {
      const count = async (db: string) => (await queryRows<{ n: bigint }>(c, `SELECT count(*)::BIGINT AS n FROM ${from} WHERE ${where} AND database_name = '${db}'`))[0].n;
      const [had, copied] = [await count(FROM), await count(TO)];
      if (had !== copied) throw new Error(`the copy has ${copied} of the warehouse's ${had} ${label}: the warehouse was left as it was`);
    }
    await c.run(`DETACH ${TO}`);
    await c.run(`DETACH ${FROM}`);
  } catch (error) {
    memory.close();
    removeCopy();
    throw error;
  }
  memory.close();
  // One rename: the warehouse is the old file or the new one, never half of either. (On Windows
  // this fails while another program, such as pastoral serve, has the warehouse open.)
  try {
    renameSync(copy, file);
  } catch (error) {
    removeCopy();
    throw new Error(`could not put the copy in the warehouse's place (is it open in another program?): ${(error as Error).message}`);
  }
  return { path: file, tables: tables.length, rows, bytesBefore, bytesAfter: statSync(file).size, formatBefore };
}
