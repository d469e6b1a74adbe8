// Reading page data. Every data file of the site is Arrow IPC (reports/data/*.ts write it with
// src/reports/arrow-file.ts); pages read it as plain row objects through this one helper:
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
