import * as Arrow from "npm:apache-arrow";

// Reading page data. Every data file of the site is Arrow IPC (reports/data/*.ts write it with
// src/page-data/arrow-file.ts); pages read it as plain row objects through this one helper:
//
//   const weeks = await arrowRows(FileAttachment("data/yeargroup-week.arrow"));
//   const report = await arrowRowsOf({terms: FileAttachment("data/termly-report/terms.arrow"), …});
//
// and load one of a page's named files on demand (one per year group, month…), keeping it.
// Framework re-runs a cell whenever anything it reads changes, and an input can report one
// choice twice; without the cache, changing the week re-fetched the year group's file each time.
//
//   const loadYearGroup = fileCache(pupilListFiles, arrowRows);
//   const rows = (await loadYearGroup(yearGroup)) ?? [];

/**
 * `files`: key → FileAttachment, as an object or a function; `read`: how to read one.
 * A key with no file gives null.
 */
export function fileCache(files, read) {
  const loaded = new Map();
  return (key) => {
    const file = typeof files === "function" ? files(key) : files[key];
    if (!file) return Promise.resolve(null);
    if (!loaded.has(key)) {
      // A failed fetch is not kept, so choosing the same key again tries again.
      loaded.set(key, read(file).catch((error) => {
        loaded.delete(key);
        throw error;
      }));
    }
    return loaded.get(key);
  };
}

/** An Arrow table as plain row objects (dates stay 'YYYY-MM-DD' text, as the loaders wrote them). */
export const tableRows = (table) => table.toArray().map((d) => d.toJSON());

/** An Arrow file (a FileAttachment) as plain row objects. */
export const arrowRows = (file) => file.arrow().then(tableRows);

/** Several Arrow files at once, fetched together: {name: FileAttachment} → {name: rows}. */
export async function arrowRowsOf(files) {
  const entries = await Promise.all(Object.entries(files).map(async ([name, file]) => [name, await arrowRows(file)]));
  return Object.fromEntries(entries);
}

/**
 * Page data split into parts (src/page-data/page-parts.ts): `index` lists each part's key values
 * (school_id, academic_year, year_group…) and file; `load(key)` fetches the part whose key
 * values are those given (every key column), once, and gives its rows ([] where there is none).
 *
 *   const weeks = await partsOf(FileAttachment("data/yeargroup-week/index.arrow"));
 *   const schools = weeks.values("school_id");                         // from the index
 *   const rows = await weeks.load({school_id: school, academic_year: year});
 */
export async function partsOf(indexFile) {
  const [index, base] = await Promise.all([arrowRows(indexFile), indexFile.url()]);
  const keyColumns = Object.keys(index[0] ?? {}).filter((c) => c !== "file" && c !== "rows" && c !== "bytes");
  const byKey = new Map(index.map((d) => [JSON.stringify(keyColumns.map((c) => d[c])), d]));
  const indexUrl = new URL(base, location.href);
  const readFile = fileCache(
    (file) => file,
    async (file) => {
      const response = await fetch(new URL(file, indexUrl));
      if (!response.ok) throw new Error(`Unable to load ${file}: ${response.status}`);
      return tableRows(Arrow.tableFromIPC(await response.arrayBuffer()));
    }
  );
  const read = (key) => (byKey.has(key) ? readFile(byKey.get(key).file) : Promise.resolve(null));
  return {
    index,
    /** The rows of a part named by its file (beside the index), e.g. a file a row of another part names. */
    loadFile: async (file) => (await readFile(file)) ?? [],
    /** The distinct values of a key column, in index order, among the parts matching `where`. */
    values: (column, where = {}) => [...new Set(index.filter((d) => Object.entries(where).every(([c, v]) => d[c] === v)).map((d) => d[column]))],
    /** The rows of the part with these key values (all key columns given), or [] when there is none. */
    load: async (key) => (await read(JSON.stringify(keyColumns.map((c) => key[c] ?? null)))) ?? []
  };
}
