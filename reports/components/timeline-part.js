// Which files of a school year's timeline index hold a pupil's rows (reports/data/pupil-detail.tar.ts).
// A year's detail file is cut into pieces of whole pupils in id order, afresh each year (and, in
// the school's latest year, each term: src/page-data/timeline-parts.ts), so the index names each
// part's detail file and its first and last pupil, and the pupil's parts are those of their detail
// file whose range holds their id: one for a year cut whole, at most one a term for the latest,
// and at most one of the latest year's latest month, whose parts ("all") are cut from every pupil
// of the school in id order.

/**
 * Compares two ids as DuckDB orders text (by bytes of UTF-8, which is the order of code points),
 * not as JavaScript's `<` does (by UTF-16 code units, which differs past U+FFFF).
 */
export function compareIds(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** The files of `index` (rows of detail_file, first_pupil, last_pupil, file) that may hold `pupil`'s rows, in the index's order. */
export function timelinePartFiles(index, pupil) {
  const id = String(pupil.student_id);
  // The latest month's parts ("all") are cut from every pupil of the school, not a detail file's.
  return index
    .filter((d) => (d.detail_file === pupil.detail_file || d.detail_file === "all") && compareIds(d.first_pupil, id) <= 0 && compareIds(id, d.last_pupil) <= 0)
    .map((d) => d.file);
}
