#!/usr/bin/env node
// The one-way arrows between the parts (.dependency-cruiser.cjs, drawn in docs/architecture.md):
// dependency-cruiser checks every import of the TypeScript and JavaScript code, and the pages'
// imports (Markdown, which it cannot read) are checked here: a page imports ./components/ and
// npm: or observablehq: modules only. Run by `npm test` before vitest; also on its own:
//   node scripts/check-arrows.mjs [--cwd DIR]
// Exits 0 when every arrow holds; otherwise prints each import against an arrow with the rule's
// name and exits 1. A Node script, not a shell line, so it runs the same on Windows.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's export map hides its bin file: find it from the main module (src/main/index.mjs).
const depcruise = path.join(fileURLToPath(import.meta.resolve('dependency-cruiser')), '..', '..', '..', 'bin', 'dependency-cruise.mjs');

/** Where a page may import from. */
const PAGE_IMPORT = /^(\.\/components\/|npm:|observablehq:)/;

/** Imports in the pages' Markdown that point anywhere but ./components/ or a package: "file:line → target". */
export function pageImportViolations(root) {
  const pagesDir = path.join(root, 'reports');
  if (!existsSync(pagesDir)) return [];
  const out = [];
  for (const name of readdirSync(pagesDir).filter((f) => f.endsWith('.md')).sort()) {
    const lines = readFileSync(path.join(pagesDir, name), 'utf-8').split(/\r?\n/);
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(["'])([^"']+)\1/g)) {
        if (!PAGE_IMPORT.test(m[2])) out.push(`reports/${name}:${i + 1} → ${m[2]}`);
      }
    });
  }
  return out;
}

/** Runs both checks in `root`; returns the exit code (0 when every arrow holds). */
export function checkArrows(root = process.cwd()) {
  const parts = ['src', 'data-loaders', 'reports', 'bench', 'scripts', 'test', 'bin'].filter((p) => existsSync(path.join(root, p)));
  const cruise = spawnSync(process.execPath, [depcruise, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...parts], {
    cwd: root,
    stdio: 'inherit',
  });
  const pages = pageImportViolations(root);
  for (const v of pages) console.log(`  error pages-import-components-only: ${v}`);
  if (pages.length > 0) console.log(`\nx ${pages.length} page import(s) against an arrow: a page imports ./components/ and npm: modules only.`);
  return cruise.status === 0 && pages.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--cwd');
  process.exit(checkArrows(at > 0 ? path.resolve(process.argv[at + 1]) : process.cwd()));
}
