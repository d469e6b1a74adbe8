import { createHash } from 'node:crypto';
import { statSync, type BigIntStats } from 'node:fs';
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
 * A recorded part's file from the previous site, when its bytes are the recorded ones; else null.
 * Its bytes are checked against the recorded SHA-256 unless `stamp` vouches for them: the size
 * and modification time the file had when an earlier build wrote it, or read and checked it
 * (FileBytes.stamp, kept in that build's state), as git's index and make take a file for
 * unchanged. A rebuild then takes a part with a stat, not a read and a hash: a trust's week takes
 * about 11,000 timeline parts, 600 MB, whose reading and hashing cost about 2 CPU s
 * (docs/performance.md, "Session 39"). Written bytes give the file a new time; a copied site gives
 * every file a new time, and each is read and checked once more. What this does not catch is
 * bytes changed in place with the size kept and the time set back, or written within the clock's
 * tick of the build's own write. Not kept: the export links the file
 * (src/page-data/mart-export.ts, emitArchive), which keeps its time.
 */
export async function previousPartFile(partsDir: string, recorded: { file: string; sha256: string }, stamp?: string): Promise<FileBytes | null> {
  if (!/^[A-Za-z0-9_-]+\.[0-9a-f]{12}\.arrow$/.test(recorded.file)) return null;
  const file = path.join(partsDir, recorded.file);
  let data: Buffer;
  let seen: string;
  try {
    // Before the read: bytes written after it give another time, so are read again next time.
    // Synchronous: a trust's week checks 11,000 parts, each by its stamp alone, and a stat through
    // the thread pool and a promise cost about three times the call (docs/performance.md, "Session 43").
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (!stats?.isFile()) return null;
    seen = stampOf(stats);
    if (stamp === seen) return { path: file, bytes: Number(stats.size), sha256: recorded.sha256, stamp: seen };
    data = await readFile(file);
  } catch {
    return null;
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  return sha256 === recorded.sha256 ? { path: file, bytes: data.length, sha256, stamp: seen } : null;
}

/** A file's FileBytes.stamp now: its size and modification time, `<bytes>:<mtime in ns>`. */
export function fileStamp(file: string): string {
  return stampOf(statSync(file, { bigint: true }));
}

const stampOf = (stats: BigIntStats): string => `${stats.size}:${stats.mtimeNs}`;

/** The stamps a previous build recorded (file name → FileBytes.stamp), or none when they are not a plain record of text. */
export function recordedStamps(stamps: unknown): Record<string, string> {
  return isObject(stamps) && Object.values(stamps).every((v) => typeof v === 'string') ? (stamps as Record<string, string>) : {};
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
