// Compares the page data of two built sites value by value (e.g. before and after a change to
// the export): every Arrow file a page names (Framework's hash in its name set aside), every
// part its index lists (matched by its key values, not by its content-hashed name), and the
// pupil timelines each directory row names, pupil by pupil. Prints what differs and each loader's bytes:
//   npx tsx scripts/compare-page-data.ts DIST_A DIST_B
// Exit code 1 when any value differs. Rows of a part in another order are reported apart
// ("same rows, other order"): the timelines' ties on date, time and kind had no order before.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from '../src/commonjs/apache-arrow.ts';

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: npx tsx scripts/compare-page-data.ts DIST_A DIST_B');

type Rows = Record<string, unknown>[];
const read = (file: string): Rows => JSON.parse(JSON.stringify(tableFromIPC(readFileSync(file)).toArray().map((r) => r.toJSON())));
const types = (file: string): string[] => tableFromIPC(readFileSync(file)).schema.fields.map((f) => `${f.name}:${String(f.type)}`);
const PART = /^[A-Za-z0-9_-]+\.[0-9a-f]{12}\.arrow$/;
/** A file a page names: Framework adds `.<8 hex>` before the extension. */
const logical = (name: string) => name.replace(/\.[0-9a-f]{8}(\.[a-z]+)$/, '$1');

let differences = 0;
let reorders = 0;
let compared = 0;
const reordered = new Map<string, number>();
const report = (what: string) => {
  differences++;
  if (differences <= 30) console.log(`DIFFERS  ${what}`);
};

function compareRows(what: string, ra: Rows, rb: Rows, ignore: string[] = []): void {
  compared++;
  const strip = (rows: Rows) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !ignore.includes(k)))));
  const sa = strip(ra);
  const sb = strip(rb);
  if (sa.length !== sb.length) return report(`${what}: ${sa.length} rows vs ${sb.length}`);
  if (sa.every((s, i) => s === sb[i])) return;
  const sortedB = [...sb].sort();
  if ([...sa].sort().every((s, i) => s === sortedB[i])) {
    reorders++;
    reordered.set(what.split('/')[0], (reordered.get(what.split('/')[0]) ?? 0) + 1);
    return;
  }
  const i = sa.findIndex((s, k) => s !== sb[k]);
  report(`${what}: row ${i}\n    ${sa[i]}\n    ${sb[i]}`);
}

/** A timeline part's rows by pupil ("school student"), each part read once per directory part (one school). */
const pupilKey = { last: '' };
const pupilCache = new Map<string, Map<string, Rows>>();
function pupilRows(file: string): Map<string, Rows> {
  let rows = pupilCache.get(file);
  if (!rows) {
    rows = new Map<string, Rows>();
    for (const r of read(file)) {
      const k = `${r.school_id} ${r.student_id}`;
      if (!rows.has(k)) rows.set(k, []);
      rows.get(k)!.push(r);
    }
    pupilCache.set(file, rows);
  }
  return rows;
}

/**
 * A pupil's whole timeline in one site: the part their directory row names (`detail_part`, a
 * file, before session 19), or, with timelines by academic year, their rows of each of their
 * `detail_years` in that year's part for their `detail_part` (found in timelines.arrow's part for
 * the school and year). A year's part also holds copies of the pupil's interventions of other
 * years that run into it: only the rows of the part's own year are taken, so each row counts once.
 */
const yearFileCache = new Map<string, Map<string, string>>();
function yearFiles(dir: string): Map<string, string> {
  let map = yearFileCache.get(dir);
  if (!map) {
    map = new Map();
    const index = files(dir).find((f) => logical(f) === 'timelines.arrow');
    for (const entry of index ? read(path.join(dir, index)) : []) {
      for (const part of read(path.join(dir, String(entry.file)))) map.set(`${entry.school_id}\u001f${entry.academic_year}\u001f${part.detail_part}`, String(part.file));
    }
    yearFileCache.set(dir, map);
  }
  return map;
}
function timelineOf(dir: string, row: Record<string, unknown>): Rows {
  const part = row.detail_part as string | null;
  const pupil = `${row.school_id} ${row.student_id}`;
  if (!part) return [];
  if (part.endsWith('.arrow')) return pupilRows(path.join(dir, part)).get(pupil) ?? [];
  const out: Rows = [];
  for (const year of String(row.detail_years ?? '').split(',').filter((y) => y !== '')) {
    const file = yearFiles(dir).get(`${row.school_id}\u001f${year}\u001f${part}`);
    if (!file) {
      report(`${dir}: no timeline part for ${pupil} in ${year} (${part})`);
      continue;
    }
    out.push(...(pupilRows(path.join(dir, file)).get(pupil) ?? []).filter((r) => r.academic_year === year));
  }
  return out;
}

const files = (dir: string): string[] => readdirSync(dir).filter((f) => statSync(path.join(dir, f)).isFile());
const dataA = path.join(a, '_file', 'data');
const dataB = path.join(b, '_file', 'data');
const bytesOf = (dir: string) => files(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

const loaders = new Set([...readdirSync(dataA), ...readdirSync(dataB)]);
for (const loader of [...loaders].sort()) {
  const da = path.join(dataA, loader);
  const db = path.join(dataB, loader);
  if (!statSync(da, { throwIfNoEntry: false })?.isDirectory() || !statSync(db, { throwIfNoEntry: false })?.isDirectory()) {
    if (loader.endsWith('.arrow')) {
      const fa = files(dataA).find((f) => logical(f) === logical(loader));
      const fb = files(dataB).find((f) => logical(f) === logical(loader));
      if (fa && fb) compareRows(loader, read(path.join(dataA, fa)), read(path.join(dataB, fb)));
    }
    continue;
  }
  const namedA = new Map(files(da).filter((f) => !PART.test(f)).map((f) => [logical(f), f]));
  const namedB = new Map(files(db).filter((f) => !PART.test(f)).map((f) => [logical(f), f]));
  for (const name of new Set([...namedA.keys(), ...namedB.keys()])) {
    if (!namedA.has(name) || !namedB.has(name)) {
      report(`${loader}/${name} is in one site only`);
      continue;
    }
    const fa = path.join(da, namedA.get(name)!);
    const fb = path.join(db, namedB.get(name)!);
    if (types(fa).join() !== types(fb).join()) report(`${loader}/${name}: column types ${types(fa).join()} vs ${types(fb).join()}`);
    const ra = read(fa);
    const rb = read(fb);
    const isIndex = ra.length > 0 && 'file' in ra[0] && 'rows' in ra[0] && 'bytes' in ra[0];
    if (!isIndex) {
      compareRows(`${loader}/${name}`, ra, rb);
      continue;
    }
    // An index: its parts matched by key values.
    compareRows(`${loader}/${name} (keys and rows)`, ra, rb, ['file', 'bytes']);
    const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).filter(([k]) => !['file', 'rows', 'bytes'].includes(k)));
    const partsB = new Map(rb.map((r) => [key(r), r]));
    for (const ea of ra) {
      const eb = partsB.get(key(ea));
      if (!eb) continue;
      const pa = path.join(da, String(ea.file));
      const pb = path.join(db, String(eb.file));
      if (types(pa).join() !== types(pb).join()) report(`${loader}/${ea.file}: column types ${types(pa).join()} vs ${types(pb).join()}`);
      const rowsA = read(pa);
      const rowsB = read(pb);
      // The pupil directory names each pupil's timeline part: compare those by the pupil's key.
      const named = rowsA.length > 0 && 'detail_part' in rowsA[0];
      compareRows(`${loader}/${ea.file} (${key(ea)})`, rowsA, rowsB, named ? ['detail_part', 'detail_years'] : []);
      if (named) {
        // Pupil by pupil: the parts may hold different groups of pupils (a share of a school, or
        // pieces of one), so each pupil's rows in the part A names are compared with theirs in B's.
        pupilCache.clear();
        rowsA.forEach((row, i) => {
          const pupil = `${row.school_id} ${row.student_id}`;
          if (pupil === pupilKey.last) return; // a pupil's second row (another year) names the same part
          pupilKey.last = pupil;
          const mine = (dir: string, r: Record<string, unknown> | undefined) => (r ? timelineOf(dir, r) : []);
          // Not their column types: each part has the narrowest that holds its own rows (a column all
          // null in a smaller group of pupils is of type Null), and the page reads values.
          compareRows(`${loader}/timeline of ${pupil}`, mine(da, row), mine(db, rowsB[i]));
        });
      }
    }
  }
  console.log(`${loader.padEnd(24)} ${String(bytesOf(da)).padStart(10)} B  ${String(bytesOf(db)).padStart(10)} B`);
}
console.log(`${compared} files compared: ${differences} differ, ${reorders} hold the same rows in another order (${[...reordered].map(([l, n]) => `${l} ${n}`).join(', ') || 'none'})`);
process.exitCode = differences > 0 ? 1 : 0;
