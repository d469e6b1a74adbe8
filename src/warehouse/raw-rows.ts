import { ident } from './warehouse.ts';

/**
 * Where the raw layer's rows are stored. Readers (the staging models, the runner's fingerprints,
 * the refresh, the site) read `raw.<type>`: a view with the school's id on every row, as the
 * raw tables had it until session 18. The rows themselves are in `raw_rows.<type>`, which names
 * the school by a small whole number (`school_key`, in `raw.school_keys`): writing the id, a
 * text, on each of millions of rows was about a third of what an import cost beyond a plain
 * read of the same files (docs/performance.md, "Session 18: the school as a number").
 *
 * Whatever changes raw rows (ingest in data-loaders/, purge, the bench's weekly stage) writes
 * here; data-loaders/raw-schema.ts makes both.
 */
export const RAW_ROWS_SCHEMA = 'raw_rows';

/** One row per school: its number in `raw_rows.*` and its id (a folder name or a URN). */
export const SCHOOL_KEYS = 'raw.school_keys';

/** The stored table behind `raw.<type>`. */
export const rawRowsTable = (type: string): string => `${RAW_ROWS_SCHEMA}.${ident(type)}`;
