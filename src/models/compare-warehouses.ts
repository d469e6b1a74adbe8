import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal, queryRows } from '../warehouse/warehouse.ts';

export interface RelationDifference {
  name: string;
  /** Why it differs: missing on one side, different columns, or rows only on one side. */
  reason: string;
  onlyInBase: number;
  onlyInOther: number;
}

export interface WarehouseComparison {
  compared: readonly string[];
  differences: RelationDifference[];
}

export interface CompareOptions {
  /** Relations to compare (default: every table or view in `main` on either side, by name). */
  names?: readonly string[];
  /**
   * Decimal places DOUBLE/FLOAT columns are rounded to before comparing (default 9). DuckDB
   * sums floating-point values in parallel, in whatever order the threads finish, so the last
   * bits of a mean can differ between two runs of the same SQL; any other type is compared exactly.
   */
  floatDecimals?: number;
  /**
   * Compare each relation first by its row count and two aggregates of a 64-bit hash of each
   * row (their sum and their xor: in an xor two equal rows cancel out), one scan of each side,
   * and row for row only where those differ (to count the rows). Two different multisets of rows
   * pass as equal only if both hash aggregates collide: for a bench's proof on tens of millions
   * of rows, where EXCEPT ALL both ways spilled gigabytes and took minutes (a trust's
   * mart_pupil_timeline: 287 CPU s). The tests compare row for row (the default).
   */
  fingerprintFirst?: boolean;
}

interface Column {
  column_name: string;
  data_type: string;
}

async function columnsOf(connection: DuckDBConnection, catalog: string, name: string): Promise<Column[]> {
  return queryRows<Column>(
    connection,
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_catalog = ${literal(catalog)} AND table_schema = 'main' AND table_name = ${literal(name)}
     ORDER BY ordinal_position`,
  );
}

async function relationsOf(connection: DuckDBConnection, catalog: string): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    connection,
    `SELECT table_name FROM information_schema.tables WHERE table_catalog = ${literal(catalog)} AND table_schema = 'main' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

/** Whether two queries' rows (of `width` columns) have the same count and the same sum and xor of a hash of each row. */
async function sameFingerprint(connection: DuckDBConnection, left: string, right: string, width: number): Promise<boolean> {
  // hash() of every column of a row by position (the two sides have the same columns: checked).
  const print = (sql: string) =>
    `SELECT count(*)::VARCHAR || ' ' || CAST(sum(h::HUGEINT) AS VARCHAR) || ' ' || CAST(bit_xor(h) AS VARCHAR) AS p
     FROM (SELECT hash(${Array.from({ length: width }, (_, i) => `#${i + 1}`).join(', ')}) AS h FROM (${sql}))`;
  const [{ a, b }] = await queryRows<{ a: string; b: string }>(connection, `SELECT (${print(left)}) AS a, (${print(right)}) AS b`);
  return a === b;
}

/**
 * Compares the models of two warehouses row for row: the same columns, of the same types, in
 * the same order, and the same multiset of rows (EXCEPT ALL both ways, so a duplicated row
 * counts). `other` is the path of a second warehouse file, attached read-only beside the one
 * `connection` has open. Used to prove a faster model gives the marts the slower one gave.
 */
export async function compareWarehouses(connection: DuckDBConnection, other: string, options: CompareOptions = {}): Promise<WarehouseComparison> {
  const decimals = options.floatDecimals ?? 9;
  const [{ base }] = await queryRows<{ base: string }>(connection, 'SELECT current_database() AS base');
  await connection.run(`ATTACH ${literal(other)} AS compare_other (READ_ONLY)`);
  try {
    const baseNames = await relationsOf(connection, base);
    const otherNames = await relationsOf(connection, 'compare_other');
    const names = options.names ?? [...new Set([...baseNames, ...otherNames])].sort();
    const differences: RelationDifference[] = [];
    for (const name of names) {
      if (!baseNames.includes(name) || !otherNames.includes(name)) {
        differences.push({ name, reason: `only in ${baseNames.includes(name) ? 'the first' : 'the second'} warehouse`, onlyInBase: 0, onlyInOther: 0 });
        continue;
      }
      const baseColumns = await columnsOf(connection, base, name);
      const otherColumns = await columnsOf(connection, 'compare_other', name);
      const signature = (cols: Column[]) => cols.map((c) => `${c.column_name} ${c.data_type}`).join(', ');
      if (signature(baseColumns) !== signature(otherColumns)) {
        differences.push({ name, reason: `columns differ: (${signature(baseColumns)}) vs (${signature(otherColumns)})`, onlyInBase: 0, onlyInOther: 0 });
        continue;
      }
      const select = baseColumns
        .map((c) => (/^(DOUBLE|FLOAT|REAL)$/.test(c.data_type) ? `round(${ident(c.column_name)}, ${decimals}) AS ${ident(c.column_name)}` : ident(c.column_name)))
        .join(', ');
      const left = `SELECT ${select} FROM ${ident(base)}.main.${ident(name)}`;
      const right = `SELECT ${select} FROM compare_other.main.${ident(name)}`;
      if (options.fingerprintFirst && (await sameFingerprint(connection, left, right, baseColumns.length))) continue;
      const [{ a, b }] = await queryRows<{ a: number; b: number }>(
        connection,
        `SELECT (SELECT count(*) FROM (${left} EXCEPT ALL ${right}))::INTEGER AS a,
                (SELECT count(*) FROM (${right} EXCEPT ALL ${left}))::INTEGER AS b`,
      );
      if (a > 0 || b > 0) differences.push({ name, reason: `${a} row(s) only in the first, ${b} only in the second`, onlyInBase: a, onlyInOther: b });
    }
    return { compared: names, differences };
  } finally {
    await connection.run('DETACH compare_other');
  }
}
