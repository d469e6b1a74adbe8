/**
 * Files of a built site or a source folder, as the site build walks and places them:
 *
 *   await filesUnder("dist", new Set([".pastoral-build"]));  // ["_file/data/x.1a2b3c4d.arrow", "index.html", …]
 *   await linkOrCopy(from, to);                              // a hard link, else a copy
 */
import { existsSync } from "node:fs";
import { copyFile, link, readdir } from "node:fs/promises";
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
 * of MB: nothing is written twice), else as a copy (another volume, no links).
 */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}
