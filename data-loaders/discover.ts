import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SchoolFolder {
  schoolId: string;
  dir: string;
  /** Every file in the folder (full paths), sorted by name: .csv exports and anything else. */
  files: string[];
}

const isCsv = (name: string) => name.toLowerCase().endsWith('.csv');

/** Visible files directly in a folder (hidden files such as .DS_Store are not a school's exports). */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => path.join(dir, name));
}

/**
 * A folder holding .csv files is one school, named by the folder (its URN or a short code); a
 * folder of such folders is a group of schools (a trust). Which file is which record type is
 * decided later, from each file's name or headers (see choose-layout.ts).
 */
export function discoverSchools(dirs: readonly string[]): SchoolFolder[] {
  const schools: SchoolFolder[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a folder: ${dir}`);
    const own = filesIn(dir);
    if (own.some((f) => isCsv(f))) {
      schools.push({ schoolId: path.basename(path.resolve(dir)), dir, files: own });
      continue;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
      const sub = path.join(dir, entry.name);
      const files = filesIn(sub);
      if (files.some((f) => isCsv(f))) schools.push({ schoolId: entry.name, dir: sub, files });
    }
  }
  if (schools.length === 0) {
    throw new Error(`no export files found in ${dirs.join(', ')}: expected students.csv (and behaviour.csv, attendance.csv, … or vendor exports) in each school's folder`);
  }
  const seen = new Set<string>();
  for (const s of schools) {
    if (seen.has(s.schoolId)) throw new Error(`two folders are both school "${s.schoolId}": school folder names must be unique`);
    seen.add(s.schoolId);
  }
  return schools;
}

export { isCsv };
