import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Compilable } from 'kysely';
import { openWarehouse } from '../warehouse/warehouse.ts';

/**
 * Helpers for the Framework data loaders in reports/data/: each loader asks the warehouse for
 * a mart and writes a small file to stdout (logs to stderr and the exit code are the loader
 * process's business: src/cli/page-loader.ts).
 * The warehouse path comes from PASTORAL_DB (set by `pastoral build`).
 */
export function warehousePath(): string {
  const fromEnv = process.env.PASTORAL_DB;
  if (fromEnv) return fromEnv;
  return path.join(fileURLToPath(new URL('../../', import.meta.url)), 'data', 'pastoral.duckdb');
}

export type Row = Record<string, string | number | boolean | null>;

/** Plain values for pages: DATE → 'YYYY-MM-DD', TIMESTAMP → 'YYYY-MM-DDTHH:MM', BIGINT → number. */
function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16);
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** Runs SQL, or a typed Kysely query on the marts (src/warehouse/query-builder.ts), read-only. */
export async function queryMart(query: string | Compilable<unknown>): Promise<Row[]> {
  const warehouse = await openWarehouse(warehousePath(), { readOnly: true });
  try {
    const compiled = typeof query === 'string' ? { sql: query, parameters: [] } : query.compile();
    const reader = await warehouse.connection.runAndReadAll(compiled.sql, compiled.parameters as never);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  } finally {
    warehouse.close();
  }
}

export function writeJson(rows: readonly Row[]): void {
  process.stdout.write(JSON.stringify(rows));
}

/**
 * Runs a loader's body. The process around it (src/cli/page-loader.ts, which Framework starts
 * for each loader) keeps stdout for the data and turns a failure into one line and exit 1;
 * nothing here touches `console` or the process.
 */
export async function runLoader(body: () => Promise<void>): Promise<void> {
  await body();
}
