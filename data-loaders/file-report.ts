import type { DuckDBConnection } from '@duckdb/node-api';
import { RETIRED_ATTENDANCE } from './contract.ts';
import type { LoadContext } from './file-plan.ts';
import { collectRejects, type RejectedPupil, type RejectRow } from './reject-lines.ts';
import { literal } from '../src/warehouse/warehouse.ts';

export type { RejectedPupil, RejectRow } from './reject-lines.ts';

export interface FileReport {
  /** The school folder the file came from (rows may name their own school: see `schools`). */
  schoolId: string;
  recordType: string;
  /** The file's own name (vendor exports keep theirs). */
  fileName: string;
  filePath: string;
  encoding: string;
  delimiter: string;
  /** `canonical`, or the vendor profile that read the file. */
  profile: string;
  /** Records (rows) in the file. Equal to rowsRead unless records naming several pupils were split. */
  recordsInFile: number;
  /** Rows to load: one per record, or one per pupil where a record names several. read = loaded + rejected. */
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Of the loaded rows: keys not seen before, keys whose values changed (corrections), identical rows. */
  rowsNew: number;
  rowsChanged: number;
  rowsUnchanged: number;
  /**
   * Rows the warehouse held inside the file's window (per school) whose key the file lacks:
   * deleted in the MIS, so removed (kept in raw.removed_rows). Not part of read = loaded + rejected.
   */
  rowsRemoved: number;
  /** The window the file covered, per school it loaded (none for students, or an empty file). */
  windows: FileWindow[];
  /** Schools the loaded rows belong to (the folder's, or those a school_id column names). */
  schools: string[];
  warnings: string[];
  rejects: RejectRow[];
  /** students.csv: the rejects of rows naming a pupil, with the pupil (for ingest.ts); absent when none. */
  rejectedPupils?: RejectedPupil[];
}

export interface FileWindow {
  schoolId: string;
  /** First and last date covered (inclusive), or null for a full snapshot. */
  from: string | null;
  to: string | null;
  full: boolean;
  /** Rows the warehouse held in the window before this file, and how many the file removed. */
  held: number;
  removed: number;
}

/** What one load path found and did, before the rejects are mapped to lines. */
export interface LoadOutcome {
  read: number;
  records: number;
  loaded: number;
  bad: number;
  duplicates: number;
  counts: { fresh: number; changed: number; unchanged: number };
  removed: number;
  windows: FileWindow[];
  schools: string[];
  retired: Array<{ code: string; n: number }>;
  /**
   * Records the reader logged as malformed, when the path already counted them (the direct
   * path's probe): 0 means the reader's rejects need not be read.
   */
  malformed?: number;
  /** Records the reader could not split, which kept the file from removing anything (removals.ts); 0 or absent when none. */
  removalsHeld?: number;
}

const RETIRED_MEANING: Record<string, string> = Object.fromEntries(Object.entries(RETIRED_ATTENDANCE).map(([code, r]) => [code, r.meaning]));

/**
 * The file's report: counts that reconcile, the rejects with their lines, and what to know.
 * The one place a file's result (new / changed / unchanged / removed counts, its windows, the
 * schools it touched) is put together: the import log, the refresh summary and anything that
 * records what an import touched read it from here.
 */
export async function fileReport(connection: DuckDBConnection, context: LoadContext, outcome: LoadOutcome): Promise<FileReport> {
  const { schoolId, spec, source, mapping } = context;
  const rejected = outcome.bad + outcome.duplicates;
  // A rejected pupil's row: which pupil it names, so their other rows' rejects can say so.
  const pupilOf = spec.name === 'students' && !mapping.split ? { school: mapping.school ? 'w.school_id' : literal(schoolId), student: 'w.student_id' } : null;
  const rejects =
    rejected === 0 && outcome.malformed === 0 ? { rows: [], malformedRecords: [], pupils: [] } : await collectRejects(connection, source, rejected > 0, mapping.split !== null, pupilOf);
  const malformedRecords = rejects.malformedRecords.length;

  const warnings: string[] = [];
  warnings.push(...source.warnings);
  if (source.delimiter !== ',') warnings.push(`delimiter detected: ${source.delimiter === '\t' ? 'tab' : source.delimiter}`);
  if (mapping.extraHeaders.length > 0) {
    warnings.push(`columns not in the contract, kept in raw only: ${mapping.extraHeaders.map((e) => e.header).join(', ')}`);
  }
  if (mapping.school) warnings.push(`rows name their own school (column ${mapping.school.header}): ${outcome.schools.join(', ') || 'none loaded'}`);
  if (mapping.split && outcome.read > outcome.records) {
    warnings.push(`${outcome.records} records name ${outcome.read} pupils (column ${mapping.split.header}): one row per pupil, keyed by ${spec.key.join(' + ')}`);
  }
  if (mapping.pupilByName) warnings.push(`pupils identified by name${mapping.pupilByName.formExpr ? ' and form' : ''} (column ${mapping.pupilByName.header}), matched against students.csv`);
  if (outcome.removalsHeld) {
    warnings.push(
      `${outcome.removalsHeld} row${outcome.removalsHeld === 1 ? '' : 's'} could not be read (see the rejects): nothing was removed, as ${outcome.removalsHeld === 1 ? 'it' : 'any of them'} may be a row the warehouse holds`,
    );
  }
  for (const r of outcome.retired) warnings.push(`retired attendance code ${r.code} found ${r.n} times: read as ${RETIRED_MEANING[r.code]}`);

  return {
    schoolId,
    recordType: spec.name,
    fileName: context.fileName ?? spec.fileName,
    filePath: source.originalPath,
    encoding: source.encoding,
    delimiter: source.delimiter,
    profile: context.profile,
    recordsInFile: outcome.records + malformedRecords,
    rowsRead: outcome.read + malformedRecords,
    rowsLoaded: outcome.loaded,
    rowsRejected: rejected + malformedRecords,
    rowsNew: outcome.counts.fresh,
    rowsChanged: outcome.counts.changed,
    rowsUnchanged: outcome.counts.unchanged,
    rowsRemoved: outcome.removed,
    windows: outcome.windows,
    schools: outcome.loaded > 0 || !mapping.school ? outcome.schools : [],
    warnings,
    rejects: rejects.rows,
    ...(rejects.pupils.length > 0 ? { rejectedPupils: rejects.pupils } : {}),
  };
}
