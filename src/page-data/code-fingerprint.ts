import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryMart } from './mart-export.ts';

/**
 * The fingerprint of the code that writes a loader's parts, for a rebuild that takes parts from
 * the previous build (src/page-data/timeline-reuse.ts, src/page-data/year-parts-reuse.ts): when it
 * differs, nothing is taken.
 *
 *   const code = await codeFingerprint(import.meta.url, ['mart_behaviour_hotspots'], JSON.stringify({ columns }));
 *
 * It covers every module of the repository the loader reaches by relative imports (static,
 * dynamic, and a worker thread's `new URL(…)`): found by reading them, not from a list kept by
 * hand (which once missed a module that shaped the bytes); the versions of the libraries that
 * encode the bytes; the columns and types of the marts read (a changed type could encode the same
 * values differently); and `inputs` (the loader's own settings).
 */
export async function codeFingerprint(loader: string, marts: readonly string[], inputs: string): Promise<string> {
  const hash = createHash('sha256').update(`${inputs}\u0000`);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const file of reachedModules(fileURLToPath(loader))) {
    hash.update(path.relative(root, file).split(path.sep).join('/')).update('\u0000').update(readFileSync(file)).update('\u0000');
  }
  for (const name of PACKAGES) hash.update(`${name}@${packageVersion(root, name)}\u0000`);
  for (const mart of marts) {
    const columns = await queryMart({
      sql: `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
      parameters: [mart],
    });
    hash.update(`${mart}\u0000${JSON.stringify(columns)}\u0000`);
  }
  return hash.digest('hex');
}

/** The libraries whose code decides a part's bytes. */
const PACKAGES = ['apache-arrow', 'flatbuffers', '@duckdb/node-api'];

function packageVersion(root: string, name: string): string {
  try {
    return String((JSON.parse(readFileSync(path.join(root, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { version?: string }).version);
  } catch {
    return 'unknown';
  }
}

/** `entry` and the modules it reaches by relative imports, sorted (exported for its test). */
export function reachedModules(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [path.resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from|import\(|new URL\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), match[1]);
      if (existsSync(target) && statSync(target).isFile()) todo.push(target);
    }
  }
  return [...seen].sort();
}
