/**
 * Files of a built site or a source folder, as the site build walks and places them:
 *
 *   await filesUnder("dist", new Set([".pastoral-build"]));  // ["_file/data/x.1a2b3c4d.arrow", "index.html", …]
 *   linkOrCopy(from, to);                                    // a hard link, else a copy
 */
import { copyFileSync, existsSync, linkSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";

/** Every file under `dir` (relative, "/"-separated, sorted), but under the top-level entries `skip` names; none when `dir` is missing. */
export async function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join("/"))
    .filter((rel) => !skip.has(rel.split("/")[0]))
    .sort();
}

/**
 * Puts `from` at `to` as a hard link where the file system allows (a trust's parts are hundreds
 * of MB: nothing is written twice), else as a copy (another volume, no links). Synchronous: a
 * build places 16,000 files at the trust, one after another, with nothing else to do meanwhile,
 * and a link through the thread pool and a promise cost four to five times the CPU of the call
 * itself (docs/performance.md, "Session 43").
 */
export function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
