/**
 * The model runner's log of where each run changed each model (written by src/models/row-changes.ts,
 * keepRowChanges), and its readers, for what is built from the models (the site's page data:
 * src/page-data/week-changes.ts) to take what no run has changed since, finer than by (school,
 * academic year):
 *
 *   const since = await rowChangesSince(connection, runId, ['int_behaviour_events']);
 *   // null: that run is not in this warehouse's log; else school → year → first week changed (null: any row)
 *
 * - `model_state.runs`: each run's number (`seq`, in order) and a random id. A build records the
 *   id of the last run it saw; the id, not the number, so a warehouse file replaced by another
 *   (a restored backup, another school's) is never taken for the one the build saw.
 * - `model_state.row_changes`: per run and model, each (school, academic year) whose rows it may
 *   have changed, from the Monday of `from_week` on (NULL: any row of that year); a row with no
 *   school: the model was built whole (any row anywhere). A model a run left alone has no row.
 * - `model_state.model_inputs`: which models (and, as `raw.<table>`, raw tables) each model
 *   reads, as the last run parsed them.
 *
 * The oldest runs are forgotten past KEPT_RUNS; a build from before them finds its run gone and
 * takes nothing by the log.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal, queryRows } from './warehouse.ts';

export const ROW_CHANGES_SCHEMA = 'model_state';
const SCHEMA = ROW_CHANGES_SCHEMA;

/** How many runs the log keeps: five years of weekly refreshes. */
export const KEPT_RUNS = 260;

/** School → academic year → the Monday from which rows may differ (null: any row of the year). */
export type WeekExtent = Map<string, Map<string, string | null>>;

export async function ensureRowChangeTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (seq BIGINT NOT NULL, id VARCHAR NOT NULL)`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.row_changes (seq BIGINT NOT NULL, model VARCHAR NOT NULL, school_id VARCHAR, academic_year VARCHAR, from_week DATE)`);
  await connection.run(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.model_inputs (model VARCHAR NOT NULL, input VARCHAR NOT NULL)`);
}

/** What the runs after one changed in some models. */
export interface RowChangesSince {
  /** Whether any of the models was built whole (any row of any school may differ). */
  whole: boolean;
  /** School → academic year → the Monday from which its rows may differ (null: any row of the year). */
  extent: WeekExtent;
}

/**
 * Where the runs after run `runId` changed any of `models`: null when `runId` is not in the log
 * (another warehouse, or forgotten), or no log is kept.
 */
export async function rowChangesSince(connection: DuckDBConnection, runId: string, models: readonly string[]): Promise<RowChangesSince | null> {
  if (!(await logTablesExist(connection, ['runs', 'row_changes']))) return null;
  const run = await queryRows<{ seq: number }>(connection, `SELECT seq::INTEGER AS seq FROM ${SCHEMA}.runs WHERE id = ${literal(runId)}`);
  if (run.length !== 1) return null;
  if (models.length === 0) return { whole: false, extent: new Map() };
  const rows = await queryRows<{ school_id: string | null; academic_year: string | null; from_week: string | null; any_row: boolean }>(
    connection,
    `SELECT school_id, academic_year, strftime(min(from_week), '%Y-%m-%d') AS from_week, bool_or(from_week IS NULL) AS any_row
     FROM ${SCHEMA}.row_changes WHERE seq > ${run[0].seq} AND list_contains([${models.map(literal).join(', ')}]::VARCHAR[], model)
     GROUP BY school_id, academic_year ORDER BY ALL`,
  );
  const extent: WeekExtent = new Map();
  let whole = false;
  for (const r of rows) {
    if (r.school_id === null) {
      whole = true;
      continue;
    }
    const years = extent.get(r.school_id) ?? new Map<string, string | null>();
    extent.set(r.school_id, years);
    years.set(String(r.academic_year), r.any_row ? null : r.from_week);
  }
  return { whole, extent };
}

/** The id of the warehouse's last model run; null when none is logged. */
export async function lastRunId(connection: DuckDBConnection): Promise<string | null> {
  if (!(await logTablesExist(connection, ['runs']))) return null;
  const rows = await queryRows<{ id: string }>(connection, `SELECT id FROM ${SCHEMA}.runs ORDER BY seq DESC LIMIT 1`);
  return rows[0]?.id ?? null;
}

/**
 * What `model` is built from through views, as the last run parsed it: `tables`, the models it
 * reads that are stored (tables), each view among its inputs replaced by what that view reads, in
 * turn; and `views`, the views passed through. A view's rows are its inputs' rows (the runner logs
 * a view by whole partitions, coarser than the weeks its inputs changed), but for its own code:
 * a view built whole since (its SQL changed) is in the log as built whole. A view that reads a
 * raw table itself is kept as it is (in `tables`): the log has no weeks of raw tables. Null when
 * no run logged the inputs.
 */
async function loggedTableInputs(connection: DuckDBConnection, model: string): Promise<{ tables: string[]; views: string[] } | null> {
  if (!(await logTablesExist(connection, ['model_inputs']))) return null;
  const edges = await queryRows<{ model: string; input: string }>(connection, `SELECT model, input FROM ${SCHEMA}.model_inputs ORDER BY ALL`);
  if (edges.length === 0) return null;
  const viewNames = new Set(
    (await queryRows<{ name: string }>(connection, `SELECT view_name AS name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal`)).map((v) => v.name),
  );
  const reads = new Map<string, string[]>();
  for (const { model: reader, input } of edges) reads.set(reader, [...(reads.get(reader) ?? []), input]);
  const readsRaw = (name: string) => (reads.get(name) ?? []).some((input) => input.startsWith('raw.'));
  const tables = new Set<string>();
  const views = new Set<string>();
  const visit = (name: string) => {
    for (const input of (reads.get(name) ?? []).filter((i) => !i.startsWith('raw.'))) {
      if (!viewNames.has(input) || readsRaw(input)) tables.add(input);
      else if (!views.has(input)) {
        views.add(input);
        visit(input);
      }
    }
  };
  visit(model);
  return { tables: [...tables].sort(), views: [...views].sort() };
}

/**
 * Where the runs after run `runId` changed what `model` is built from (loggedTableInputs), but
 * `except`: the tables' changes, by week; built whole everywhere if a view passed through was
 * (its code changed). Null when that is not known (a run not in the log, inputs not logged).
 */
export async function inputTableChangesSince(connection: DuckDBConnection, runId: string, model: string, except: readonly string[] = []): Promise<RowChangesSince | null> {
  const inputs = await loggedTableInputs(connection, model);
  if (inputs === null || inputs.tables.length === 0) return null;
  const kept = (names: readonly string[]) => names.filter((name) => !except.includes(name));
  const tables = await rowChangesSince(connection, runId, kept(inputs.tables));
  const views = await rowChangesSince(connection, runId, kept(inputs.views));
  return tables === null || views === null ? null : { whole: tables.whole || views.whole, extent: tables.extent };
}

/** Whether the warehouse holds all of the log's tables `names` (a warehouse no run of this code has brought up to date holds none). */
async function logTablesExist(connection: DuckDBConnection, names: readonly string[]): Promise<boolean> {
  const [{ tables }] = await queryRows<{ tables: number }>(
    connection,
    `SELECT count(*)::INTEGER AS tables FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = '${SCHEMA}' AND list_contains([${names.map(literal).join(', ')}]::VARCHAR[], table_name)`,
  );
  return tables === names.length;
}
