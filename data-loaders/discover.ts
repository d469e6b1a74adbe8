import { existsSync, readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';

export interface SchoolFolder {
  schoolId: string;
  dir: string;
  /** Every file in the folder (full paths), sorted by name: .csv exports and anything else. */
  files: string[];
}

/** Something in the export folders that is not read, and why (never skipped silently). */
export interface SkippedEntry {
  /** The school folder it is in (or, for something beside the school folders, the trust folder's name). */
  schoolId: string;
  /** Its name; a folder's ends with the path separator's `/`. */
  fileName: string;
  filePath: string;
  reason: string;
}

const isCsv = (name: string) => name.toLowerCase().endsWith('.csv');

/** An entry of a folder, with symbolic links followed: what it is, and the real path behind it. */
interface Entry {
  name: string;
  fullPath: string;
  kind: 'file' | 'folder' | 'other';
  realPath: string;
  /** Where a symbolic link points (as written in the link), for the reasons given. */
  linkTarget: string | null;
}

/**
 * The visible entries of a folder (hidden files such as .DS_Store are not a school's exports),
 * sorted by name, symbolic links followed. A link that leads nowhere (or cannot be read) is
 * returned in `broken`, with the reason.
 */
function entriesOf(dir: string): { entries: Entry[]; broken: Array<{ name: string; fullPath: string; reason: string }> } {
  const entries: Entry[] = [];
  const broken: Array<{ name: string; fullPath: string; reason: string }> = [];
  const dirents: Dirent[] = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const e of dirents) {
    const fullPath = path.join(dir, e.name);
    let linkTarget: string | null = null;
    if (e.isSymbolicLink()) {
      try {
        linkTarget = readlinkSync(fullPath);
      } catch {
        linkTarget = '?';
      }
    }
    try {
      // statSync follows links (and chains of links); a loop of links fails with ELOOP.
      const stat = e.isSymbolicLink() ? statSync(fullPath) : null;
      const kind = stat ? (stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other') : e.isFile() ? 'file' : e.isDirectory() ? 'folder' : 'other';
      entries.push({ name: e.name, fullPath, kind, realPath: realpathSync(fullPath), linkTarget });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ELOOP'
          ? `a link to ${linkTarget} that leads back to itself (a loop of links)`
          : code === 'ENOENT'
            ? `a link to ${linkTarget}, which does not exist`
            : `cannot be read (${code ?? String(error)})`;
      broken.push({ name: e.name, fullPath, reason });
    }
  }
  return { entries, broken };
}

/** "a link to X" for a followed link, for reasons that mention it. */
const viaLink = (e: Entry) => (e.linkTarget === null ? '' : ` (a link to ${e.linkTarget})`);

/** Is `inner` the folder `outer` or inside it? */
function within(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The files of one school folder. Files linked to (symbolic links) are read like the others;
 * a second name for a file already listed, folders inside the school folder, and links that
 * lead nowhere are skipped, each with the reason.
 */
function schoolFiles(schoolId: string, dir: string, entries: Entry[], broken: ReturnType<typeof entriesOf>['broken'], skipped: SkippedEntry[]): string[] {
  const files: string[] = [];
  // A file's own name wins over a link to it, whatever their order.
  const seen = new Map(entries.filter((e) => e.kind === 'file' && e.linkTarget === null).map((e) => [e.realPath, e.name]));
  for (const b of broken) skipped.push({ schoolId, fileName: b.name, filePath: b.fullPath, reason: b.reason });
  for (const e of entries) {
    if (e.kind === 'folder') {
      skipped.push({ schoolId, fileName: `${e.name}/`, filePath: e.fullPath, reason: `a folder inside a school folder${viaLink(e)}: only the school folder's own files are read` });
    } else if (e.kind === 'other') {
      skipped.push({ schoolId, fileName: e.name, filePath: e.fullPath, reason: 'not a file or folder' });
    } else if (seen.has(e.realPath) && seen.get(e.realPath) !== e.name) {
      skipped.push({ schoolId, fileName: e.name, filePath: e.fullPath, reason: `the same file as ${seen.get(e.realPath)}${viaLink(e)}: read once` });
    } else {
      seen.set(e.realPath, e.name);
      files.push(e.fullPath);
    }
  }
  return files;
}

/**
 * A folder holding .csv files is one school, named by the folder (its URN or a short code); a
 * folder of such folders is a group of schools (a trust). Which file is which record type is
 * decided later, from each file's name or headers (see choose-layout.ts).
 *
 * Symbolic links to files and to school folders are followed. Nothing is skipped silently:
 * a link that leads nowhere or round in a loop, a link to a school folder already read or to
 * a folder holding the trust itself, a folder with no .csv files, a folder inside a school
 * folder and a file beside the school folders are each returned in `skipped`, with the reason.
 * (Only two levels are read, trust and school, so a loop of folders can never be followed far.)
 */
export function discoverExports(dirs: readonly string[]): { schools: SchoolFolder[]; skipped: SkippedEntry[] } {
  const schools: SchoolFolder[] = [];
  const skipped: SkippedEntry[] = [];
  const schoolByRealPath = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a folder: ${dir}`);
    const real = realpathSync(dir);
    const { entries, broken } = entriesOf(dir);
    if (entries.some((e) => e.kind === 'file' && isCsv(e.name))) {
      const schoolId = path.basename(path.resolve(dir));
      if (schoolByRealPath.has(real)) throw new Error(`the folder ${dir} is given twice (as school "${schoolByRealPath.get(real)}" too)`);
      schoolByRealPath.set(real, schoolId);
      schools.push({ schoolId, dir, files: schoolFiles(schoolId, dir, entries, broken, skipped) });
      continue;
    }
    const trustName = path.basename(path.resolve(dir));
    // A school folder's own name wins over a link to it, whatever their order.
    for (const e of entries) if (e.kind === 'folder' && e.linkTarget === null && !schoolByRealPath.has(e.realPath)) schoolByRealPath.set(e.realPath, e.name);
    for (const b of broken) skipped.push({ schoolId: trustName, fileName: b.name, filePath: b.fullPath, reason: b.reason });
    for (const e of entries) {
      const skip = (reason: string) => skipped.push({ schoolId: trustName, fileName: e.kind === 'folder' ? `${e.name}/` : e.name, filePath: e.fullPath, reason });
      if (e.kind !== 'folder') {
        skip('beside the school folders: a trust folder holds one folder per school, and only those are read');
        continue;
      }
      if (within(real, e.realPath)) {
        skip(`a link to ${e.linkTarget ?? e.realPath}, a folder holding this one (a loop): not followed`);
        continue;
      }
      if (schoolByRealPath.has(e.realPath) && schoolByRealPath.get(e.realPath) !== e.name) {
        skip(`the same folder as school "${schoolByRealPath.get(e.realPath)}"${viaLink(e)}: read once`);
        continue;
      }
      const inner = entriesOf(e.fullPath);
      if (!inner.entries.some((f) => f.kind === 'file' && isCsv(f.name))) {
        skip(`no .csv files in this folder${viaLink(e)}`);
        continue;
      }
      schoolByRealPath.set(e.realPath, e.name);
      schools.push({ schoolId: e.name, dir: e.fullPath, files: schoolFiles(e.name, e.fullPath, inner.entries, inner.broken, skipped) });
    }
  }
  if (schools.length === 0) {
    const why = skipped.slice(0, 3).map((s) => `${s.fileName}: ${s.reason}`);
    throw new Error(
      `no export files found in ${dirs.join(', ')}: expected students.csv (and behaviour.csv, attendance.csv, … or vendor exports) in each school's folder` +
        (why.length > 0 ? ` (skipped ${why.join('; ')}${skipped.length > 3 ? '; …' : ''})` : ''),
    );
  }
  const seen = new Set<string>();
  for (const s of schools) {
    if (seen.has(s.schoolId)) throw new Error(`two folders are both school "${s.schoolId}": school folder names must be unique`);
    seen.add(s.schoolId);
  }
  return { schools, skipped };
}

export { isCsv };
