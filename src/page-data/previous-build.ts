import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILD_STATE_DIR } from './build-state.ts';
import type { FileBytes } from './mart-export.ts';

/**
 * What a loader left in the site being replaced (PASTORAL_PREVIOUS_SITE, set by `pastoral build`
 * for a staff site built over the last one), for a rebuild that takes parts from it
 * (src/page-data/timeline-reuse.ts, src/page-data/year-parts-reuse.ts): its state
 * (`.pastoral-build/<name>.json`), and the folder its parts were published in
 * (`_file/data/<name>/`). Null when there is no such site, no state, or one `valid` refuses (not
 * this code's): then nothing is taken.
 */
export async function previousBuildState<S>(site: string | undefined, name: string, valid: (state: S) => boolean): Promise<{ state: S; partsDir: string } | null> {
  if (!site) return null;
  try {
    const state = JSON.parse(await readFile(path.join(site, BUILD_STATE_DIR, `${name}.json`), 'utf8')) as S;
    return isObject(state) && valid(state) ? { state, partsDir: path.join(site, '_file', 'data', name) } : null;
  } catch {
    return null; // no state, or not ours
  }
}

/**
 * A recorded part's file from the previous site, when its bytes are the recorded ones (their
 * SHA-256); else null. The bytes are read to be checked, not kept: the export links the file
 * (src/page-data/mart-export.ts, emitArchive).
 */
export async function previousPartFile(partsDir: string, recorded: { file: string; sha256: string }): Promise<FileBytes | null> {
  if (!/^[A-Za-z0-9_-]+\.[0-9a-f]{12}\.arrow$/.test(recorded.file)) return null;
  const file = path.join(partsDir, recorded.file);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    return null;
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  return sha256 === recorded.sha256 ? { path: file, bytes: data.length, sha256 } : null;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
