/**
 * The folder of a built site that holds its build state: notes a loader leaves for the next build
 * of the same site (src/page-data/timeline-reuse.ts: hashes of the pupil timelines' parts, no
 * pupil's data). src/site/build-site.ts copies it into the site; src/site/serve-static.ts never
 * serves it. A module of its own so the server does not load the export's code.
 */
export const BUILD_STATE_DIR = '.pastoral-build';
