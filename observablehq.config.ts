// Observable Framework configuration for the Pastoral Pulse dashboards.
// Built offline: see src/build/build-site.ts and src/build/prime-framework-cache.ts.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** tsx's CLI entry, run by this very Node binary: no PATH lookup, no .cmd shim, works on Windows. */
const tsxCli: string = require.resolve("tsx/cli");

export default {
  root: "reports",
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
  // `.ts` data loaders run with tsx from node_modules.
  interpreters: { ".ts": [process.execPath, tsxCli] },
  // Grouped by who uses them (DOMAIN.md), the weekly meeting first.
  pages: [
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
  ],
  search: false,
  toc: false,
  footer: "Pastoral Pulse: pastoral analytics for English schools. Figures are built from the school's own exports.",
};
