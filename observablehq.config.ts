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
  // pages: undefined → Framework discovers the pages under reports/.
  search: false,
  toc: false,
  footer: "Pastoral Pulse: pastoral analytics for English schools. Figures are built from the school's own exports.",
};
