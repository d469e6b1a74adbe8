import { statSync } from 'node:fs';
import path from 'node:path';
import { canonicalTypeOf, chooseLayout, type Layout } from './choose-layout.ts';
import { RECORD_TYPES } from './contract.ts';
import { discoverExports, isCsv } from './discover.ts';
import { profilesByName } from './profiles/index.ts';
import { readHeaderRow } from './source-file.ts';

/** A file in a school folder that is not an export this import can read, and why. */
export interface IgnoredFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  reason: string;
}

/** A file the import will load, and how it will read it. */
export interface PlannedFile {
  schoolId: string;
  fileName: string;
  filePath: string;
  sizeBytes: number;
  layout: Layout;
}

/**
 * Decides, before anything is loaded, how each file of each school folder is read. Students
 * come first (every other file is checked against the pupils), then the calendar, then the
 * other record types, each in file-name order.
 */
export function planImport(dirs: readonly string[], profileNames: readonly string[] = []): { files: PlannedFile[]; ignored: IgnoredFile[] } {
  const forced = profilesByName(profileNames);
  const files: PlannedFile[] = [];
  // Links followed; what is not read (a broken link, a folder with no .csv …) is listed, with why.
  const { schools, skipped } = discoverExports(dirs);
  const ignored: IgnoredFile[] = [...skipped];
  for (const school of schools) {
    for (const filePath of school.files) {
      const fileName = path.basename(filePath);
      if (!isCsv(fileName)) {
        ignored.push({ schoolId: school.schoolId, fileName, filePath, reason: 'not a .csv file' });
        continue;
      }
      const header = readHeaderRow(filePath);
      // A file that is not CSV text: ignored with the reason, unless named after a record type
      // (behaviour.csv), which ingest stops with the same reason (a file it was meant to load).
      if (header.notText && !canonicalTypeOf(fileName)) {
        ignored.push({ schoolId: school.schoolId, fileName, filePath, reason: header.notText });
        continue;
      }
      const choice = chooseLayout(fileName, header.headers, forced);
      if ('ignored' in choice) ignored.push({ schoolId: school.schoolId, fileName, filePath, reason: choice.ignored });
      else files.push({ schoolId: school.schoolId, fileName, filePath, sizeBytes: statSync(filePath).size, layout: choice.layout });
    }
  }
  const schoolOrder = [...new Set(files.map((f) => f.schoolId))];
  files.sort((a, b) => schoolOrder.indexOf(a.schoolId) - schoolOrder.indexOf(b.schoolId) || typeRank(a) - typeRank(b) || a.fileName.localeCompare(b.fileName));
  return { files, ignored };
}

/** Where a file's record type loads: students first (every other file is checked against the pupils), then the calendar, then the rest. */
export function typeRank(file: PlannedFile): number {
  const type = file.layout.spec.name;
  return type === 'students' ? 0 : type === 'calendar' ? 1 : 2 + RECORD_TYPES.indexOf(type);
}
