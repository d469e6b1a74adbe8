/**
 * The parts of Pastoral Pulse and the one-way arrows between them (docs/architecture.md draws
 * them). `npm test` runs this check before vitest (scripts/check-arrows.mjs); an import against
 * an arrow fails it with the rule's name. An arrow means "imports"; the data flows the other way
 * round at the bottom (the warehouse connection is used by everything that reads or writes it).
 *
 *   src/cli, bench             on top, side by side: the commands and the benchmarks; nothing below
 *                              imports them, and neither imports the other (`pastoral bench` starts
 *                              bench/run.mjs as a process)
 *   scripts                    developer tools; nothing imports them
 *   src/refresh                the weekly routine: ingest → models → build → PDF; only the CLI imports it
 *   src/site, src/pdf          the site build and server; the PDF print (and finding Chromium)
 *   reports/data               page data loaders (Framework runs them at build time)
 *   src/page-data              helpers of the page data loaders (mart export, Arrow, tar, the
 *                              audience a loader runs for, pseudonyms, the refresh summary's words)
 *   src/models                 the model runner (sql/ is its input, read as files); purging
 *                              leavers (raw rows + the model tables that copied them)
 *   data-loaders               exports → raw.* (the contract, the raw schema, ingest)
 *   src/warehouse              the DuckDB file, typed mart access; imports nothing of ours but src/commonjs
 *   src/commonjs               npm packages loaded from their CommonJS builds (kysely, Arrow): below
 *                              everything in Node, imports nothing of ours
 *   src/demo                   the demo school: writes CSV, imports nothing of the pipeline
 *   src/csv + reports/components/excel-safe.js   the one Excel-safe rule, shared by ingest and pages
 *   reports/components         browser code for the pages: npm: packages and each other only
 *   test                       may import anything; nothing outside test/ imports it
 */

// Paths are matched with forward slashes on every platform.
const WAREHOUSE = '^src/warehouse/';
const COMMONJS = '^src/commonjs/';
const LOADERS = '^data-loaders/';
const MODELS = '^src/models/';
const PAGE_DATA = '^reports/data/';
const PAGE_DATA_HELPERS = '^src/page-data/';
const COMPONENTS = '^reports/components/';
const SHARED = '^(src/csv/|reports/components/excel-safe\\.js$)';
const SITE_AND_PDF = '^src/(site|pdf)/';
const DEMO = '^src/demo/';
const CLI = '^src/cli/';
const ROUTINE = '^src/refresh/';
const BENCH = '^bench/';
const SCRIPTS = '^scripts/';
const TEST = '^test/';
const ENTRY = '^bin/';

/** Everything of ours except the listed parts (node built-ins and npm packages are not "ours"). */
const OURS_BUT = (...parts) => ({ path: '^(src|data-loaders|reports|bench|scripts|test|bin)/', pathNot: parts });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'warehouse-imports-nothing-of-ours',
      comment: 'src/warehouse is the floor: the DuckDB connection and the typed marts. It imports no other part but src/commonjs (kysely, for the typed marts).',
      severity: 'error',
      from: { path: WAREHOUSE },
      to: OURS_BUT(WAREHOUSE, COMMONJS),
    },
    {
      name: 'commonjs-imports-nothing-of-ours',
      comment: 'src/commonjs hands out npm packages from their CommonJS builds (one copy of each, cheap to load under tsx): it is below everything that runs in Node.',
      severity: 'error',
      from: { path: COMMONJS },
      to: OURS_BUT(COMMONJS),
    },
    {
      name: 'kysely-and-arrow-from-src-commonjs',
      comment: 'One copy of each in a process, from its CommonJS build: a value imported from the ES-module build would load the package a second time (an Arrow class of the other copy fails the encoders\' instanceof), and cost what src/commonjs saves. Types may come from the package.',
      severity: 'error',
      from: { path: OURS_BUT(COMMONJS).path, pathNot: [COMMONJS, COMPONENTS] },
      to: { path: '^node_modules/(kysely|apache-arrow)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'loaders-sit-on-the-warehouse-only',
      comment: 'data-loaders turn exports into raw.*: they may use the warehouse and the shared Excel-safe rule, nothing above them.',
      severity: 'error',
      from: { path: LOADERS },
      to: OURS_BUT(LOADERS, WAREHOUSE, COMMONJS, SHARED),
    },
    {
      name: 'models-sit-on-the-warehouse-only',
      comment: 'The model runner reads sql/ and raw.*; it does not import the loaders (they own the raw schema and create it) or anything above.',
      severity: 'error',
      from: { path: MODELS },
      to: OURS_BUT(MODELS, WAREHOUSE, COMMONJS),
    },
    {
      name: 'page-data-helpers-sit-on-the-warehouse-only',
      comment: 'src/page-data serves the page data loaders: it reads marts through the warehouse, nothing else.',
      severity: 'error',
      from: { path: PAGE_DATA_HELPERS },
      to: OURS_BUT(PAGE_DATA_HELPERS, WAREHOUSE, COMMONJS),
    },
    {
      name: 'page-data-reads-marts-only',
      comment: 'reports/data loaders read marts (src/warehouse, src/page-data); they never import the loaders, the model runner, the build or the CLI.',
      severity: 'error',
      from: { path: PAGE_DATA },
      to: OURS_BUT(PAGE_DATA, PAGE_DATA_HELPERS, WAREHOUSE, COMMONJS),
    },
    {
      name: 'components-are-browser-only',
      comment: 'reports/components run in the browser: they import npm: packages and each other, never Node code.',
      severity: 'error',
      from: { path: COMPONENTS },
      to: OURS_BUT(COMPONENTS),
    },
    {
      name: 'shared-rule-imports-nothing-of-ours',
      comment: 'The Excel-safe rule is shared by ingest (src/csv) and the pages (reports/components/excel-safe.js): it stays a leaf.',
      severity: 'error',
      from: { path: SHARED },
      to: OURS_BUT(SHARED),
    },
    {
      name: 'demo-generator-stands-alone',
      comment: 'src/demo only writes CSV exports; it imports nothing of the pipeline, so it cannot lean on what it is meant to test.',
      severity: 'error',
      from: { path: DEMO },
      to: OURS_BUT(DEMO),
    },
    {
      name: 'site-and-pdf-below-the-commands',
      comment: 'src/site and src/pdf build, serve and print the site (using the page-data helpers); they do not import the CLI, the benchmarks, the loaders, the models or the demo.',
      severity: 'error',
      from: { path: SITE_AND_PDF },
      to: OURS_BUT(SITE_AND_PDF, PAGE_DATA_HELPERS, WAREHOUSE, COMMONJS, SHARED),
    },
    {
      name: 'nothing-below-imports-the-cli',
      comment: 'src/cli is on top: only bin/ and the tests import it.',
      severity: 'error',
      from: { pathNot: [CLI, ENTRY, TEST] },
      to: { path: CLI },
    },
    {
      name: 'only-the-cli-runs-the-weekly-routine',
      comment: 'src/refresh orchestrates ingest, models, build and PDF; only the commands (and tests) import it.',
      severity: 'error',
      from: { pathNot: [ROUTINE, CLI, TEST] },
      to: { path: ROUTINE },
    },
    {
      name: 'nothing-below-imports-the-benchmarks',
      comment: 'bench/ is on top beside the CLI; nothing but the tests imports it. `pastoral bench` runs bench/run.mjs as a child process instead of importing it.',
      severity: 'error',
      from: { pathNot: [BENCH, TEST] },
      to: { path: BENCH },
    },
    {
      name: 'benchmarks-do-not-import-the-cli',
      comment: 'The benchmarks sit beside the CLI, not on it: they use the parts themselves (no arrow between the two either way).',
      severity: 'error',
      from: { path: BENCH },
      to: { path: CLI },
    },
    {
      name: 'nothing-imports-scripts',
      comment: 'scripts/ are developer tools run by npm scripts; no part imports them.',
      severity: 'error',
      from: { pathNot: [SCRIPTS] },
      to: { path: SCRIPTS },
    },
    {
      name: 'nothing-outside-test-imports-test',
      comment: 'Test helpers and fixtures are for tests: scripts and code use the parts themselves.',
      severity: 'error',
      from: { pathNot: [TEST] },
      to: { path: TEST },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other, directly or round a loop, are one module in two files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The warehouse folder data/ and the build output dist/ at the top, never reports/data/.
    exclude: { path: ['^(dist|data)/', '(^|/)\\.observablehq/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
