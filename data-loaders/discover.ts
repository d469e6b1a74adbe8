import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT, RECORD_TYPES, type RecordType } from './contract.ts';

export interface SchoolFolder {
  schoolId: string;
  dir: string;
  /** Export files found, by record type. */
  files: Partial<Record<RecordType, string>>;
}

function exportFilesIn(dir: string): Partial<Record<RecordType, string>> {
  const byLowerName = new Map(readdirSync(dir).map((name) => [name.toLowerCase(), name]));
  const files: Partial<Record<RecordType, string>> = {};
  for (const type of RECORD_TYPES) {
    const name = byLowerName.get(CONTRACT[type].fileName);
    if (name) files[type] = path.join(dir, name);
  }
  return files;
}

/**
 * A folder with export files is one school, named by the folder; a folder of such folders is a
 * group of schools (a trust). School ids come from folder names (a URN or short code).
 */
export function discoverSchools(dirs: readonly string[]): SchoolFolder[] {
  const schools: SchoolFolder[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a folder: ${dir}`);
    const own = exportFilesIn(dir);
    if (Object.keys(own).length > 0) {
      schools.push({ schoolId: path.basename(path.resolve(dir)), dir, files: own });
      continue;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const sub = path.join(dir, entry.name);
      const files = exportFilesIn(sub);
      if (Object.keys(files).length > 0) schools.push({ schoolId: entry.name, dir: sub, files });
    }
  }
  if (schools.length === 0) {
    throw new Error(`no export files found in ${dirs.join(', ')}: expected students.csv (and behaviour.csv, attendance.csv, …) in each school's folder`);
  }
  const seen = new Set<string>();
  for (const s of schools) {
    if (seen.has(s.schoolId)) throw new Error(`two folders are both school "${s.schoolId}": school folder names must be unique`);
    seen.add(s.schoolId);
  }
  return schools;
}
