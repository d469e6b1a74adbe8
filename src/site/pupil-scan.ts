/**
 * Looks for pupils in a built site: every file, text or binary, for every pupil's MIS id, UPN
 * and name. `pastoral build` runs it on the leaders', governors' and trust builds before they
 * replace the previous site (a hit fails the build); the tests run it on every audience.
 *
 *   const pupils = await pupilsFromWarehouse(connection);      // or pupilsFromStudentsCsv(files)
 *   const report = await scanForPupils('dist-governors', pupils);
 *   report.findings   // [] when no pupil is in it
 *
 * How files are read (each "unit" is tokenised into runs of letters and digits, after
 * decoding JSON `\uXXXX` escapes and HTML character references):
 *   - Arrow IPC (.arrow): parsed, every value of every column is a unit of its own (string
 *     columns are stored back to back, so raw bytes would hide word boundaries);
 *   - tar (.tar): every member is read as the file it holds (recursively);
 *   - gzip (.gz): unzipped, then read as the file inside;
 *   - anything else (HTML, JS, JSON, CSV, CSS, …, and binary files): the bytes as UTF-8 text.
 * A finding is an id or a UPN found as a whole token, or a pupil's first and last name both
 * found in the same file (or tar member) as whole tokens (every part of a double-barrelled
 * name). Matching is case-sensitive, on NFC text: names are capitalised in the exports.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from '../commonjs/apache-arrow.ts';
import { parseTar } from 'nanotar';
import Papa from 'papaparse';
import { queryRows } from '../warehouse/warehouse.ts';

export interface PupilIdentity {
  studentId: string;
  upn: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface ScanFinding {
  /** File relative to the scanned folder (POSIX separators), with `!member` for a tar member. */
  file: string;
  kind: 'id' | 'upn' | 'name';
  /** What was found (the id, the UPN, or "First Last"). */
  value: string;
}

export interface ScanReport {
  /** Files under the folder, all read. */
  files: number;
  /** Files read (and tar members), by kind of reading: arrow, tar, gzip, text (by extension). */
  filesByType: Record<string, number>;
  findings: ScanFinding[];
  /** Findings per file type (extension), for a report. */
  findingsByType: Record<string, number>;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

function tokens(text: string): string[] {
  return text.normalize('NFC').match(TOKEN) ?? [];
}

/** JSON `\uXXXX` escapes and HTML character references, decoded (so an escaped name is still found). */
function decodeEscapes(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(amp|apos|quot|lt|gt|nbsp);/g, (_, name: string) => ({ amp: '&', apos: "'", quot: '"', lt: '<', gt: '>', nbsp: ' ' })[name] ?? '');
}

interface PupilIndex {
  ids: Map<string, string>;
  upns: Map<string, string>;
  /** Name token → pupils (index into names) having it as a part. */
  nameTokens: Map<string, number[]>;
  names: { parts: string[]; label: string }[];
}

function nameParts(name: string | null): string[] {
  return tokens(name ?? '').filter((t) => t.length >= 2);
}

function indexPupils(pupils: readonly PupilIdentity[]): PupilIndex {
  const index: PupilIndex = { ids: new Map(), upns: new Map(), nameTokens: new Map(), names: [] };
  for (const p of pupils) {
    // An id is matched as a token: one made of several tokens ("S-12") is matched on its parts joined.
    const idTokens = tokens(p.studentId);
    if (idTokens.length === 1) index.ids.set(idTokens[0], p.studentId);
    if (p.upn) for (const t of tokens(p.upn)) if (t.length >= 8) index.upns.set(t, p.upn);
    const first = nameParts(p.firstName);
    const last = nameParts(p.lastName);
    if (first.length === 0 || last.length === 0) continue;
    const i = index.names.push({ parts: [...first, ...last], label: `${p.firstName} ${p.lastName}` }) - 1;
    for (const t of new Set([...first, ...last])) {
      const list = index.nameTokens.get(t);
      if (list) list.push(i);
      else index.nameTokens.set(t, [i]);
    }
  }
  return index;
}

/** Findings in one unit: its token set, checked against ids, UPNs and names. */
function findInTokens(found: ReadonlySet<string>, index: PupilIndex, file: string, out: ScanFinding[]): void {
  const candidates = new Set<number>();
  for (const t of found) {
    const id = index.ids.get(t);
    if (id !== undefined) out.push({ file, kind: 'id', value: id });
    const upn = index.upns.get(t);
    if (upn !== undefined) out.push({ file, kind: 'upn', value: upn });
    for (const i of index.nameTokens.get(t) ?? []) candidates.add(i);
  }
  for (const i of candidates) {
    const name = index.names[i];
    if (name.parts.every((p) => found.has(p))) out.push({ file, kind: 'name', value: name.label });
  }
}

/** Every file of a tar archive (names and bytes), read by nanotar's parseTar. */
export function tarMembers(bytes: Uint8Array): { name: string; data: Uint8Array }[] {
  // parseTar reads the view's whole ArrayBuffer from its start: give it one of its own.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return parseTar(own)
    .filter((m) => m.type === 'file')
    .map((m) => ({ name: m.name, data: m.data ?? new Uint8Array(0) }));
}

/** The units of text in one file: the file's text, or one per Arrow value / tar member. */
function scanBytes(name: string, bytes: Uint8Array, index: PupilIndex, report: ScanReport, depth = 0): void {
  const ext = path.extname(name).toLowerCase();
  const type = ext === '.arrow' ? 'arrow' : ext === '.tar' ? 'tar' : ext === '.gz' ? 'gzip' : `text${ext || ' (no extension)'}`;
  report.filesByType[type] = (report.filesByType[type] ?? 0) + 1;
  const before = report.findings.length;
  if (type === 'tar' && depth < 4) {
    for (const member of tarMembers(bytes)) scanBytes(`${name}!${member.name}`, member.data, index, report, depth + 1);
  } else if (type === 'gzip' && depth < 4) {
    scanBytes(name.slice(0, -3), gunzipSync(bytes), index, report, depth + 1);
  } else {
    const found = new Set<string>();
    let parsed = false;
    if (type === 'arrow') {
      try {
        const table = tableFromIPC(bytes);
        for (const field of table.schema.fields) {
          const column = table.getChild(field.name);
          if (!column) continue;
          for (const value of column) if (value !== null && value !== undefined) for (const t of tokens(decodeEscapes(String(value)))) found.add(t);
        }
        parsed = true;
      } catch {
        // Not readable as Arrow: read its bytes as text below.
      }
    }
    if (!parsed) for (const t of tokens(decodeEscapes(Buffer.from(bytes).toString('utf8')))) found.add(t);
    findInTokens(found, index, name, report.findings);
  }
  const added = report.findings.length - before;
  if (added > 0) report.findingsByType[type] = (report.findingsByType[type] ?? 0) + added;
}

/** Every file under dir, relative, with forward slashes (also used by the offline-build test). */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** Scans every file under `dir` for the pupils. */
export async function scanForPupils(dir: string, pupils: readonly PupilIdentity[]): Promise<ScanReport> {
  const index = indexPupils(pupils);
  const files = await listFiles(dir);
  const report: ScanReport = { files: files.length, filesByType: {}, findings: [], findingsByType: {} };
  for (const file of files) scanBytes(file, await readFile(path.join(dir, file)), index, report);
  return report;
}

/** Scans one text (e.g. `pdftotext` output) for the pupils. */
export function scanText(label: string, text: string, pupils: readonly PupilIdentity[]): ScanFinding[] {
  const findings: ScanFinding[] = [];
  findInTokens(new Set(tokens(decodeEscapes(text))), indexPupils(pupils), label, findings);
  return findings;
}

/** Every pupil in the warehouse (raw.students, all schools and years). */
export async function pupilsFromWarehouse(connection: DuckDBConnection): Promise<PupilIdentity[]> {
  const rows = await queryRows<{ student_id: string; upn: string | null; first_name: string | null; last_name: string | null }>(
    connection,
    'SELECT DISTINCT student_id, upn, first_name, last_name FROM raw.students',
  );
  return rows.map((r) => ({ studentId: r.student_id, upn: r.upn, firstName: r.first_name, lastName: r.last_name }));
}

/** Every pupil in some students.csv files (canonical headers: student_id, upn, first_name, last_name). */
export async function pupilsFromStudentsCsv(files: readonly string[]): Promise<PupilIdentity[]> {
  const pupils: PupilIdentity[] = [];
  for (const file of files) {
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    for (const row of parsed.data) {
      if (!row.student_id) continue;
      pupils.push({ studentId: row.student_id, upn: row.upn || null, firstName: row.first_name || null, lastName: row.last_name || null });
    }
  }
  return pupils;
}
