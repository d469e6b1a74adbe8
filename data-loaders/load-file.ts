import type { DuckDBConnection } from '@duckdb/node-api';
import { planFile, type LoadContext } from './file-plan.ts';
import { fileReport, type FileReport } from './file-report.ts';
import { loadChecked } from './load-checked.ts';
import { loadDirectly } from './load-direct.ts';
import { RemovalGuardError } from './removals.ts';

// One file's load, in parts: file-plan.ts (the SQL pieces: reader, checks, keys), load-direct.ts
// and load-checked.ts (the two paths), removals.ts (the window and what it removes),
// reject-lines.ts (rejects mapped to the lines a user sees), file-report.ts (the result).
export type { FileReport } from './file-report.ts';
export { RemovalGuardError } from './removals.ts';

/** The temporary tables a load makes, dropped when it ends (loaded, rejected or failed). */
export const TEMP_TABLES = ['src_read', 'src', 'rows', 'bad', 'rejects_tmp', 'dups', 'staged', 'src_csv_errors', 'src_csv_scans', 'removed_tmp'];
const DIRECT_TEMP_TABLES = ['src_csv_errors', 'src_csv_scans'];

/**
 * Loads one export file into `raw.<type>` inside the caller's transaction, set-based in DuckDB.
 * Only rejected rows come back to JavaScript, to be mapped to the physical lines a user sees.
 *
 * A large clean export of a school the warehouse holds nothing of yet (the usual first import)
 * goes straight from DuckDB's CSV reader into the warehouse in one pass, its checks evaluated on
 * the way; a count and a duplicate-key probe then confirm every row passed. Anything else (a
 * row failed, a key repeats, the school already has rows, pupils named several to a cell, rows
 * naming their own school) takes the checked path, which reports every reject in detail.
 */
export async function loadFile(connection: DuckDBConnection, context: LoadContext): Promise<FileReport> {
  const plan = planFile(context);
  // The direct path, when it loads the file, makes only the reader's two tables.
  let made = TEMP_TABLES;
  let report: FileReport;
  try {
    const { split, school, pupilByName } = context.mapping;
    const direct = !split && !school && !pupilByName ? await loadDirectly(connection, context, plan) : null;
    if (direct) made = DIRECT_TEMP_TABLES;
    const outcome = direct ?? (await loadChecked(connection, context, plan));
    report = await fileReport(connection, context, outcome);
  } catch (error) {
    // The import rolls back (and the temporary tables with it). A failed statement leaves DuckDB's
    // transaction aborted, where the DROP would fail too and hide the error that matters.
    await connection.run(made.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; ')).catch(() => {});
    // Whatever stopped the load (DuckDB's reader on an export it cannot parse, above all) is
    // reported with the file it happened in; the removal guard's message names it already.
    if (error instanceof RemovalGuardError || !(error instanceof Error)) throw error;
    throw new Error(`${context.schoolId}/${context.fileName ?? context.spec.fileName}: ${error.message}`, { cause: error });
  }
  await connection.run(made.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; '));
  return report;
}
