import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `sql/` folder. */
export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** The layers, in the order the folders are read (order of execution comes from the DAG). */
export const MODEL_LAYERS = ['staging', 'intermediate', 'marts'] as const;

export type Materialisation = 'table' | 'view';

export interface SqlFile {
  /** Relation name = file name without `.sql`. */
  name: string;
  layer: string;
  file: string;
  sql: string;
  /**
   * `view` when the file has a `-- materialised: view` comment line, else `table`. A view costs
   * nothing to build and is computed by each model that reads it: right for a pass-through
   * staging model read once or twice; a table is computed once and stored: right for what
   * many models read, or what pages read.
   */
  materialised: Materialisation;
}

const MATERIALISED_COMMENT = /^--\s*materialised:\s*(table|view)\b/im;

export function materialisationOf(sql: string): Materialisation {
  return (MATERIALISED_COMMENT.exec(sql)?.[1]?.toLowerCase() as Materialisation | undefined) ?? 'table';
}

function readSqlFiles(dir: string, layer: string): SqlFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
  return names.map((f) => {
    const file = path.join(dir, f);
    // CRLF-tolerant: a model edited on Windows must run the same.
    const sql = readFileSync(file, 'utf-8').replace(/\r\n/g, '\n').trim().replace(/;\s*$/, '');
    return { name: f.slice(0, -4), layer, file, sql, materialised: materialisationOf(sql) };
  });
}

export function readModels(sqlDir = SQL_DIR): SqlFile[] {
  return MODEL_LAYERS.flatMap((layer) => readSqlFiles(path.join(sqlDir, layer), layer));
}

export function readDataTests(sqlDir = SQL_DIR): SqlFile[] {
  return readSqlFiles(path.join(sqlDir, 'tests'), 'tests');
}

/** `sql/macros/*.sql`: CREATE MACRO statements the models share (academic year of a date…). */
export function readMacros(sqlDir = SQL_DIR): SqlFile[] {
  return readSqlFiles(path.join(sqlDir, 'macros'), 'macros');
}
