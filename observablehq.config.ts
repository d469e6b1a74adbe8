// Observable Framework configuration for the Pastoral Pulse dashboards.
// Built offline: see src/site/build-site.ts and src/site/prime-framework-cache.ts.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { AUDIENCE_DEFINITIONS, loaderAudience } from "./src/site/audiences.ts";

const require = createRequire(import.meta.url);

/** tsx's CLI entry, run by this very Node binary: no PATH lookup, no .cmd shim, works on Windows. */
const tsxCli: string = require.resolve("tsx/cli");
/** The process around each loader: stdout kept for the data, a failure one line and exit 1. */
const pageLoader: string = fileURLToPath(new URL("./src/cli/page-loader.ts", import.meta.url));

/** `pastoral build --audience`: staff (default) builds reports/; the others a generated root of their own pages. */
const audience = loaderAudience();
const audiencePages = AUDIENCE_DEFINITIONS[audience].pages;

/** Every page, grouped by who uses them (DOMAIN.md), the weekly meeting first: the staff build. */
const staffPages = [
  {
    name: "Heads of Year",
    pages: [
      { name: "Weekly behaviour review", path: "/weekly-review" },
      { name: "Pupil profile", path: "/pupil" },
    ],
  },
  {
    name: "Pastoral team",
    pages: [
      { name: "Early intervention watchlist", path: "/watchlist" },
      { name: "Behaviour Support Centre", path: "/bsc" },
      { name: "Interventions", path: "/interventions" },
      { name: "Attendance", path: "/attendance" },
      { name: "Daily lists (PSO)", path: "/daily-lists" },
    ],
  },
  {
    name: "SLT and governors",
    pages: [
      { name: "Termly report", path: "/termly-report" },
      { name: "Schools compared", path: "/schools" },
    ],
  },
  { name: "Definitions", path: "/definitions" },
];

export default {
  // buildSite() sets PASTORAL_ROOT to the audience's generated root (src/site/audiences.ts).
  root: process.env.PASTORAL_ROOT || "reports",
  // buildSite() points this at its outDir; a plain `observable build` writes ./dist.
  output: process.env.PASTORAL_OUT_DIR || "dist",
  title: "Pastoral Pulse",
  theme: "air", // light, high contrast: reads well on a classroom projector
  // The default adds Google Fonts (a network request in every browser).
  globalStylesheets: [],
  // Our stylesheet imports the theme itself (so "theme" above is only a fallback).
  style: "style.css",
  // Pages read pre-aggregated JSON/Arrow; never download DuckDB-WASM extensions.
  duckdb: { extensions: { json: null, parquet: null } },
  // `.ts` data loaders run with tsx from node_modules, inside src/cli/page-loader.ts.
  interpreters: { ".ts": [process.execPath, tsxCli, pageLoader] },
  // Leaders', governors' and the trust's builds list only the pages they hold.
  pages: audiencePages === null ? staffPages : audiencePages.map((p) => ({ name: p.name, path: `/${p.path}` })),
  // No favicon of our own: an empty one stops the browser asking for /favicon.ico, which every
  // page load would otherwise log as a failed request (a 404) in the browser's console.
  head: '<link rel="icon" href="data:,">',
  search: false,
  toc: false,
  footer: "Pastoral Pulse: pastoral analytics for English schools. Figures are built from the school's own exports.",
};
