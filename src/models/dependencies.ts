import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlFile } from './model-files.ts';
import { literal, queryRows } from '../warehouse/warehouse.ts';

interface TableRef {
  schema: string;
  table: string;
}

/** Walks DuckDB's parse tree (json_serialize_sql) for every base table a query names. */
function collectTableRefs(node: unknown, out: TableRef[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectTableRefs(child, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') {
    out.push({ schema: String(record.schema_name ?? ''), table: record.table_name });
  }
  for (const value of Object.values(record)) collectTableRefs(value, out);
}

/** What each model reads: other models, and raw tables (`raw.*`, by table name). */
export interface ModelInputs {
  models: Map<string, string[]>;
  raw: Map<string, string[]>;
}

/**
 * The models and raw tables each model reads, found by parsing its SQL with DuckDB itself: no
 * hand-kept list. A CTE named like a model would look like a reference, so CTEs must not reuse
 * model names (the data tests check this convention indirectly: a cycle or wrong order fails loudly).
 */
export async function modelInputs(connection: DuckDBConnection, models: readonly SqlFile[]): Promise<ModelInputs> {
  const names = new Set(models.map((m) => m.name));
  const deps = new Map<string, string[]>();
  const raw = new Map<string, string[]>();
  for (const model of models) {
    const [row] = await queryRows<{ ast: string }>(connection, `SELECT json_serialize_sql(${literal(model.sql)}) AS ast`);
    const ast = JSON.parse(row.ast) as { error: boolean; error_message?: string };
    if (ast.error) throw new Error(`${model.file}: DuckDB cannot parse this model: ${ast.error_message}`);
    const refs: TableRef[] = [];
    collectTableRefs(ast, refs);
    const modelRefs = refs
      .filter((r) => (r.schema === '' || r.schema === 'main') && names.has(r.table) && r.table !== model.name)
      .map((r) => r.table);
    deps.set(model.name, [...new Set(modelRefs)].sort());
    raw.set(model.name, [...new Set(refs.filter((r) => r.schema === 'raw').map((r) => r.table))].sort());
  }
  return { models: deps, raw };
}

/**
 * The name a data test reads every row of raw.<table> by, beside raw.<table> itself: the same
 * rows in a whole run; in a run by week (`-- test partitions: school_week`) raw.<table> is only
 * the changed weeks' rows, and this is all of them (src/models/run-models.ts, runDataTests).
 */
export const RAW_ALL_ROWS_SUFFIX = '__all_rows';

/**
 * What each data test reads: models, raw tables (raw.<table>__all_rows counts as raw.<table>, and
 * is listed in `allRows` too), and any other relation (a CTE, the settings, a table no model
 * builds): a test reading one of those is run whole every time, as the runner cannot tell
 * whether it changed.
 */
export async function testInputs(
  connection: DuckDBConnection,
  tests: readonly SqlFile[],
  models: readonly SqlFile[],
): Promise<ModelInputs & { other: Map<string, string[]>; allRows: Map<string, string[]> }> {
  const names = new Set(models.map((m) => m.name));
  const result = { models: new Map<string, string[]>(), raw: new Map<string, string[]>(), other: new Map<string, string[]>(), allRows: new Map<string, string[]>() };
  const base = (table: string) => (table.endsWith(RAW_ALL_ROWS_SUFFIX) ? table.slice(0, -RAW_ALL_ROWS_SUFFIX.length) : table);
  for (const test of tests) {
    const [row] = await queryRows<{ ast: string }>(connection, `SELECT json_serialize_sql(${literal(test.sql)}) AS ast`);
    const ast = JSON.parse(row.ast) as { error: boolean; error_message?: string };
    if (ast.error) throw new Error(`${test.file}: DuckDB cannot parse this data test: ${ast.error_message}`);
    const refs: TableRef[] = [];
    collectTableRefs(ast, refs);
    const inMain = refs.filter((r) => r.schema === '' || r.schema === 'main');
    result.models.set(test.name, [...new Set(inMain.filter((r) => names.has(r.table)).map((r) => r.table))].sort());
    result.raw.set(test.name, [...new Set(refs.filter((r) => r.schema === 'raw').map((r) => base(r.table)))].sort());
    result.allRows.set(test.name, [...new Set(refs.filter((r) => r.schema === 'raw' && r.table !== base(r.table)).map((r) => base(r.table)))].sort());
    result.other.set(test.name, [...new Set(refs.filter((r) => !(r.schema === 'raw' || ((r.schema === '' || r.schema === 'main') && names.has(r.table)))).map((r) => `${r.schema ? `${r.schema}.` : ''}${r.table}`))].sort());
  }
  return result;
}

/** The models each model reads (see modelInputs). */
export async function modelDependencies(connection: DuckDBConnection, models: readonly SqlFile[]): Promise<Map<string, string[]>> {
  return (await modelInputs(connection, models)).models;
}

/** Orders models so each runs after what it reads (Kahn's algorithm, alphabetical among equals). */
export function topologicalOrder(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const remaining = new Map([...deps].map(([name, d]) => [name, new Set(d)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, d]) => d.size === 0).map(([name]) => name).sort();
    if (ready.length === 0) {
      throw new Error(`models depend on each other in a cycle: ${[...remaining.keys()].sort().join(', ')}`);
    }
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
      for (const d of remaining.values()) d.delete(name);
    }
  }
  return order;
}

/** The model layers from the bottom up: a model reads its own layer and the layers below it. */
const LAYER_RANK: Readonly<Record<string, number>> = { staging: 0, intermediate: 1, marts: 2 };

/**
 * The reads that go up the layers: a staging model reading an intermediate or a mart, or an
 * intermediate reading a mart (the logic two models share belongs in the lower layer, which
 * both read). One line per read against the rule, e.g.
 * `sql/intermediate/int_x.sql (intermediate) reads mart_y (marts)`; empty when none.
 */
export function layerViolations(models: readonly SqlFile[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const layerOf = new Map(models.map((m) => [m.name, m.layer]));
  const violations: string[] = [];
  for (const model of models) {
    for (const read of deps.get(model.name) ?? []) {
      const readLayer = layerOf.get(read);
      if (readLayer === undefined || !(model.layer in LAYER_RANK) || !(readLayer in LAYER_RANK)) continue;
      if (LAYER_RANK[readLayer] > LAYER_RANK[model.layer]) {
        violations.push(`sql/${model.layer}/${model.name}.sql (${model.layer}) reads ${read} (${readLayer})`);
      }
    }
  }
  return violations.sort();
}
