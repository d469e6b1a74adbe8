/**
 * The model runner's side of its log of changed weeks (src/warehouse/row-changes-log.ts, where
 * the tables and their readers are): each run logs, in its transaction, where it changed each
 * model. These are the runner's own extents (src/models/run-models.ts, ModelState): a model
 * updated from a week on changes no row of an earlier week (its `-- incremental weeks:` line,
 * tested as incremental = full); a compared one, only the weeks whose rows differ; a model built
 * whole, every row. A run that failed or was stopped logs nothing, as it changed nothing.
 *
 *   const runId = await keepRowChanges(connection, states, inputs);   // in the run's transaction
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ModelInputs } from './dependencies.ts';
import type { Extent } from './incremental.ts';
import { ensureRowChangeTables, KEPT_RUNS, ROW_CHANGES_SCHEMA as SCHEMA } from '../warehouse/row-changes-log.ts';
import { literal, queryRows } from '../warehouse/warehouse.ts';

/** A model's state after a run (src/models/run-models.ts): left alone, built whole, or changed inside an extent. */
export type RunModelState = 'unchanged' | 'full' | Extent;

/** Logs a run's changes (inside its transaction), forgets the runs past KEPT_RUNS; returns the run's id. */
export async function keepRowChanges(connection: DuckDBConnection, states: ReadonlyMap<string, RunModelState>, inputs: ModelInputs): Promise<string> {
  await ensureRowChangeTables(connection);
  const [{ seq }] = await queryRows<{ seq: number }>(connection, `SELECT (coalesce(max(seq), 0) + 1)::INTEGER AS seq FROM ${SCHEMA}.runs`);
  const id = randomUUID();
  await connection.run(`INSERT INTO ${SCHEMA}.runs VALUES (${seq}, ${literal(id)})`);
  const rows: string[] = [];
  for (const [model, state] of [...states].sort(([a], [b]) => a.localeCompare(b))) {
    if (state === 'unchanged') continue;
    if (state === 'full') {
      rows.push(`(${seq}, ${literal(model)}, NULL, NULL, NULL)`);
      continue;
    }
    for (const [school, years] of state) {
      for (const [year, from] of years) rows.push(`(${seq}, ${literal(model)}, ${literal(school)}, ${literal(year)}, ${from === null ? 'NULL' : `DATE ${literal(from)}`})`);
    }
  }
  // In slices: a trust's run changes a few thousand (model, school, year)s.
  for (let i = 0; i < rows.length; i += 1000) await connection.run(`INSERT INTO ${SCHEMA}.row_changes VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  await connection.run(`DELETE FROM ${SCHEMA}.row_changes WHERE seq <= ${seq - KEPT_RUNS}`);
  await connection.run(`DELETE FROM ${SCHEMA}.runs WHERE seq <= ${seq - KEPT_RUNS}`);
  await connection.run(`DELETE FROM ${SCHEMA}.model_inputs`);
  // The raw tables a model reads, as `raw.<table>`: a reader of the log cannot follow a view to them
  // by week (inputTableChangesSince), so it takes such a view's own changes.
  const reads = [...inputs.models, ...[...inputs.raw].map(([model, tables]) => [model, tables.map((t) => `raw.${t}`)] as const)];
  const edges = reads.flatMap(([model, names]) => names.map((input) => `(${literal(model)}, ${literal(input)})`));
  if (edges.length > 0) await connection.run(`INSERT INTO ${SCHEMA}.model_inputs VALUES ${edges.join(', ')}`);
  return id;
}
