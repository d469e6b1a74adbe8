import { normaliseHeader, type ColumnSpec, type FileSpec } from './contract.ts';
import { mapValues, type ColumnLookup, type PupilRule, type VendorProfile } from './profiles/profile.ts';
import { ident } from '../src/warehouse/warehouse.ts';

/** Where one contract column's text comes from in the source file. */
export interface ColumnSource {
  readonly column: ColumnSpec;
  /** The header (as written in the file) it was read from, for reject reports. */
  readonly header: string;
  /** SQL over the positional source columns c1…cN giving the column's text. */
  readonly textExpr: string;
}

/** Pupils named instead of identified: matched on name (+ form) against students.csv. */
export interface PupilByName {
  readonly header: string;
  /** SQL giving the pupil's full name. */
  readonly nameExpr: string;
  readonly formExpr: string | null;
}

export interface ColumnMapping {
  readonly sources: readonly ColumnSource[];
  /** Headers not used by the contract: kept in `extra` JSON. */
  readonly extraHeaders: ReadonlyArray<{ header: string; position: number }>;
  readonly missingRequired: readonly string[];
  /** A `school_id` column: each row carries its own school, overriding the folder name. */
  readonly school: { header: string; textExpr: string } | null;
  readonly pupilByName: PupilByName | null;
  /** One record names several pupils in this column: split into one row per pupil. */
  readonly split: { position: number; header: string; separator: string } | null;
  /** Profile rules for rows that are not records of this type. */
  readonly rowRejects: ReadonlyArray<{ header: string; valueExpr: string; condition: string; reason: string }>;
}

/** Positional name DuckDB gives source column i (0-based). */
export const sourceColumn = (i: number) => `c${i + 1}`;

/** Headers that name the row's school (URN or short code); they override the folder name. */
export const SCHOOL_HEADERS = ['school_id', 'school_urn', 'urn', 'school_code'] as const;

function headerIndex(headers: readonly string[]): Map<string, number> {
  const byNormal = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = normaliseHeader(h);
    if (n !== '' && !byNormal.has(n)) byNormal.set(n, i);
  });
  return byNormal;
}

function findSchool(headers: readonly string[], byNormal: Map<string, number>, used: Set<number>): ColumnMapping['school'] {
  for (const name of SCHOOL_HEADERS) {
    const position = byNormal.get(normaliseHeader(name));
    if (position !== undefined && !used.has(position)) {
      used.add(position);
      return { header: headers[position], textExpr: ident(sourceColumn(position)) };
    }
  }
  return null;
}

function extraOf(headers: readonly string[], used: Set<number>): ColumnMapping['extraHeaders'] {
  return headers.flatMap((header, position) => (used.has(position) ? [] : [{ header: header === '' ? `column ${position + 1}` : header, position }]));
}

/**
 * Matches a file's headers to the contract, ignoring case, spaces and punctuation, and
 * accepting the aliases listed in the contract. The first header that matches wins.
 */
export function mapCanonicalColumns(spec: FileSpec, headers: readonly string[]): ColumnMapping {
  const byNormal = headerIndex(headers);
  const used = new Set<number>();
  const sources: ColumnSource[] = [];
  const missingRequired: string[] = [];
  for (const column of spec.columns) {
    const candidates = [column.name, ...(column.aliases ?? [])].map(normaliseHeader);
    const position = candidates.map((c) => byNormal.get(c)).find((p) => p !== undefined && !used.has(p));
    if (position === undefined) {
      if (column.required) missingRequired.push(column.name);
      continue;
    }
    used.add(position);
    sources.push({ column, header: headers[position], textExpr: ident(sourceColumn(position)) });
  }
  const school = findSchool(headers, byNormal, used);
  return { sources, extraHeaders: extraOf(headers, used), missingRequired, school, pupilByName: null, split: null, rowRejects: [] };
}

function splitFor(pupil: PupilRule, position: number, headers: readonly string[]): ColumnMapping['split'] {
  if (!pupil.split) return null;
  const only = pupil.split.headers?.map(normaliseHeader);
  if (only && !only.includes(normaliseHeader(headers[position]))) return null;
  return { position, header: headers[position], separator: pupil.split.separator };
}

/**
 * Maps a vendor export through a profile: each contract column from the profile's header
 * aliases, value map or SQL expression; the pupil by id or by name; every other column kept
 * in `extra`. A required column the profile cannot fill is reported missing, like a canonical file.
 */
export function mapProfileColumns(spec: FileSpec, profile: VendorProfile, headers: readonly string[]): ColumnMapping {
  const byNormal = headerIndex(headers);
  const used = new Set<number>();
  const find = (names: readonly string[]): number | undefined => names.map((n) => byNormal.get(normaliseHeader(n))).find((p) => p !== undefined);
  const lookup: ColumnLookup = (...names) => {
    const position = find(names);
    if (position === undefined) return null;
    used.add(position);
    return ident(sourceColumn(position));
  };
  const peek: ColumnLookup = (...names) => {
    const position = find(names);
    return position === undefined ? null : ident(sourceColumn(position));
  };
  const headerOf = (names: readonly string[]) => {
    const p = find(names);
    return p === undefined ? null : headers[p];
  };

  const sources: ColumnSource[] = [];
  const missingRequired: string[] = [];
  let pupilByName: PupilByName | null = null;
  let split: ColumnMapping['split'] = null;

  const pupil = profile.pupil;
  const idPosition = pupil?.id ? find(pupil.id) : undefined;
  for (const column of spec.columns) {
    if (column.name === 'student_id' && pupil) {
      const namePosition = pupil.name ? find(pupil.name) : undefined;
      const first = pupil.firstName ? find(pupil.firstName) : undefined;
      const last = pupil.lastName ? find(pupil.lastName) : undefined;
      const formExpr = () => (pupil.form ? lookup(...pupil.form) : null);
      if (idPosition !== undefined) {
        used.add(idPosition);
        sources.push({ column, header: headers[idPosition], textExpr: ident(sourceColumn(idPosition)) });
        split = splitFor(pupil, idPosition, headers);
      } else if (namePosition !== undefined) {
        used.add(namePosition);
        pupilByName = { header: headers[namePosition], nameExpr: ident(sourceColumn(namePosition)), formExpr: formExpr() };
        split = splitFor(pupil, namePosition, headers);
      } else if (first !== undefined && last !== undefined) {
        used.add(first);
        used.add(last);
        pupilByName = {
          header: `${headers[first]} + ${headers[last]}`,
          nameExpr: `concat_ws(' ', ${ident(sourceColumn(first))}, ${ident(sourceColumn(last))})`,
          formExpr: formExpr(),
        };
      } else {
        const wanted = [...(pupil.id ?? []), ...(pupil.name ?? []), ...(pupil.lastName ? [`${pupil.firstName?.[0]} + ${pupil.lastName[0]}`] : [])];
        missingRequired.push(`student_id (a pupil id or name column: ${wanted.join(', ')})`);
      }
      continue;
    }
    const rule = profile.columns[column.name];
    if (!rule) {
      if (column.required) missingRequired.push(column.name);
      continue;
    }
    if ('from' in rule) {
      const position = find(rule.from);
      if (position === undefined && rule.otherwise === undefined) {
        if (column.required) missingRequired.push(`${column.name} (${rule.from.join(' or ')})`);
        continue;
      }
      if (position !== undefined) used.add(position);
      const raw = position === undefined ? 'NULL::VARCHAR' : ident(sourceColumn(position));
      const textExpr = rule.values || rule.otherwise !== undefined ? mapValues(raw, rule.values ?? {}, rule.otherwise) : raw;
      sources.push({ column, header: position === undefined ? column.name : headers[position], textExpr });
    } else {
      const textExpr = rule.sql(lookup, peek);
      if (textExpr === null) {
        if (column.required) missingRequired.push(`${column.name} (from ${rule.reads.join(', ')})`);
        continue;
      }
      sources.push({ column, header: headerOf(rule.reads) ?? column.name, textExpr });
    }
  }
  const rowRejects = (profile.rejectRows ?? []).flatMap((r) => {
    const condition = r.when(lookup, peek);
    return condition === null ? [] : [{ header: headerOf(r.reads) ?? r.reads[0], valueExpr: peek(...r.reads) ?? 'NULL::VARCHAR', condition, reason: r.reason }];
  });
  const school = findSchool(headers, byNormal, used);
  return { sources, extraHeaders: extraOf(headers, used), missingRequired, school, pupilByName, split, rowRejects };
}
