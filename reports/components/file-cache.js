// Loads one of a page's named files on demand (one per year group, month…) and keeps it.
// Framework re-runs a cell whenever anything it reads changes, and an input can report one
// choice twice; without this, changing the week re-fetched the year group's file each time.
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

/** An Arrow file as plain row objects. */
export const arrowRows = (file) => file.arrow().then((table) => table.toArray().map((d) => d.toJSON()));
