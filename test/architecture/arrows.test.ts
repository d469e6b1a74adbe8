// The arrow check can fail: a small tree with the real rules (.dependency-cruiser.cjs) and one
// import against each arrow is rejected, each with its rule's name; the same tree without them
// passes. (The real tree is checked by `npm test` itself, before vitest.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const checker = path.join(repo, 'scripts', 'check-arrows.mjs');

/** A temp folder with the repo's rules and tsconfig, and the given files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-arrows-'));
  copyFileSync(path.join(repo, '.dependency-cruiser.cjs'), path.join(root, '.dependency-cruiser.cjs'));
  copyFileSync(path.join(repo, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function check(root: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [checker, '--cwd', root], { encoding: 'utf-8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

// Every part with a module, importing only what the rules allow.
const allowed: Record<string, string> = {
  // An npm package as src/commonjs takes it (a stand-in: the temp tree has no node_modules of its own).
  'node_modules/kysely/package.json': '{"name": "kysely", "main": "index.js"}\n',
  'node_modules/kysely/index.js': 'exports.sql = 1;\n',
  'src/commonjs/kysely.ts': "import { createRequire } from 'node:module';\nimport type * as K from 'kysely';\nexport const { sql } = createRequire(import.meta.url)('kysely') as typeof K;\n",
  'src/warehouse/warehouse.ts': "import { sql } from '../commonjs/kysely.ts';\nexport const db = sql;\n",
  'src/csv/excel-safe.ts': "export { safe } from '../../reports/components/excel-safe.js';\n",
  'reports/components/excel-safe.js': 'export const safe = (v) => v;\n',
  'reports/components/chart.js': "import * as Plot from 'npm:@observablehq/plot';\nimport { safe } from './excel-safe.js';\nexport const chart = () => [Plot, safe];\n",
  'data-loaders/raw-schema.ts': "import { db } from '../src/warehouse/warehouse.ts';\nimport { safe } from '../src/csv/excel-safe.ts';\nexport const raw = [db, safe];\n",
  'src/models/run-models.ts': "import { db } from '../warehouse/warehouse.ts';\nexport const run = db;\n",
  'src/page-data/mart-export.ts': "import { db } from '../warehouse/warehouse.ts';\nexport const mart = db;\n",
  'reports/data/page.json.ts': "import { mart } from '../../src/page-data/mart-export.ts';\nexport const page = mart;\n",
  'reports/index.md': '```js\nimport { chart } from "./components/chart.js";\nimport * as Plot from "npm:@observablehq/plot";\n```\n',
  'src/site/build-site.ts': "import { db } from '../warehouse/warehouse.ts';\nimport { mart } from '../page-data/mart-export.ts';\nexport const build = [db, mart];\n",
  'src/refresh/refresh.ts': "import { run } from '../models/run-models.ts';\nimport { raw } from '../../data-loaders/raw-schema.ts';\nimport { build } from '../site/build-site.ts';\nexport const refresh = [run, raw, build];\n",
  'src/demo/generate.ts': 'export const demo = 1;\n',
  'bench/ingest-bench.ts': "import { raw } from '../data-loaders/raw-schema.ts';\nimport { build } from '../src/site/build-site.ts';\nexport const bench = [raw, build];\n",
  'src/cli/main.ts': "import { run } from '../models/run-models.ts';\nimport { raw } from '../../data-loaders/raw-schema.ts';\nimport { demo } from '../demo/generate.ts';\nimport { refresh } from '../refresh/refresh.ts';\nexport const main = [run, raw, demo, refresh];\n",
  'scripts/tool.ts': "import { run } from '../src/models/run-models.ts';\nexport const tool = run;\n",
  'test/helpers/h.ts': "import { main } from '../../src/cli/main.ts';\nexport const h = main;\n",
  'test/a.test.ts': "import { h } from './helpers/h.ts';\nexport const t = h;\n",
};

// One back-arrow per rule, by the file that breaks it.
const backArrows: Array<[rule: string, file: string, text: string]> = [
  ['commonjs-imports-nothing-of-ours', 'src/commonjs/leans.ts', "import { db } from '../warehouse/warehouse.ts';\nexport const x = db;\n"],
  ['kysely-and-arrow-from-src-commonjs', 'src/page-data/esm-kysely.ts', "import { sql } from 'kysely';\nexport const x = sql;\n"],
  ['warehouse-imports-nothing-of-ours', 'src/warehouse/leans.ts', "import { raw } from '../../data-loaders/raw-schema.ts';\nexport const x = raw;\n"],
  ['loaders-sit-on-the-warehouse-only', 'data-loaders/leans.ts', "import { run } from '../src/models/run-models.ts';\nexport const x = run;\n"],
  ['models-sit-on-the-warehouse-only', 'src/models/leans.ts', "import { raw } from '../../data-loaders/raw-schema.ts';\nexport const x = raw;\n"],
  ['page-data-helpers-sit-on-the-warehouse-only', 'src/page-data/leans.ts', "import { build } from '../site/build-site.ts';\nexport const x = build;\n"],
  ['page-data-reads-marts-only', 'reports/data/leans.json.ts', "import { run } from '../../src/models/run-models.ts';\nexport const x = run;\n"],
  ['components-are-browser-only', 'reports/components/leans.js', "import { mart } from '../../src/page-data/mart-export.ts';\nexport const x = mart;\n"],
  ['shared-rule-imports-nothing-of-ours', 'src/csv/leans.ts', "import { db } from '../warehouse/warehouse.ts';\nexport const x = db;\n"],
  ['demo-generator-stands-alone', 'src/demo/leans.ts', "import { raw } from '../../data-loaders/raw-schema.ts';\nexport const x = raw;\n"],
  ['site-and-pdf-below-the-commands', 'src/site/leans.ts', "import { run } from '../models/run-models.ts';\nexport const x = run;\n"],
  ['nothing-below-imports-the-cli', 'src/models/cli-lean.ts', "import { main } from '../cli/main.ts';\nexport const x = main;\n"],
  ['only-the-cli-runs-the-weekly-routine', 'src/models/routine-lean.ts', "import { refresh } from '../refresh/refresh.ts';\nexport const x = refresh;\n"],
  ['nothing-below-imports-the-benchmarks', 'src/site/bench-lean.ts', "import { bench } from '../../bench/ingest-bench.ts';\nexport const x = bench;\n"],
  // The CLI too: `pastoral bench` starts bench/run.mjs as a process rather than importing it.
  ['nothing-below-imports-the-benchmarks', 'src/cli/bench-lean.ts', "import { bench } from '../../bench/ingest-bench.ts';\nexport const x = bench;\n"],
  ['benchmarks-do-not-import-the-cli', 'bench/leans.ts', "import { main } from '../src/cli/main.ts';\nexport const x = main;\n"],
  ['nothing-imports-scripts', 'src/cli/leans.ts', "import { tool } from '../../scripts/tool.ts';\nexport const x = tool;\n"],
  ['nothing-outside-test-imports-test', 'scripts/leans.ts', "import { h } from '../test/helpers/h.ts';\nexport const x = h;\n"],
  ['no-circular', 'src/warehouse/loop-a.ts', "import { b } from './loop-b.ts';\nexport const a = () => b;\n"],
  ['pages-import-components-only', 'reports/leans.md', '```js\nimport { mart } from "../src/page-data/mart-export.ts";\n```\n'],
];

describe('the one-way arrows between the parts', () => {
  it('accept a tree whose imports all follow the arrows', () => {
    const { status, output } = check(tree(allowed));
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });

  it('reject each back-arrow, naming its rule and the import', () => {
    const planted = Object.fromEntries(backArrows.map(([, file, text]) => [file, text]));
    planted['src/warehouse/loop-b.ts'] = "import { a } from './loop-a.ts';\nexport const b = () => a;\n";
    const { status, output } = check(tree({ ...allowed, ...planted }));
    expect(status).toBe(1);
    for (const [rule, file] of backArrows) {
      const named = output.split('\n').filter((line) => line.includes(`error ${rule}:`) && line.includes(file));
      expect(named, `${rule} on ${file}\n${output}`).not.toEqual([]);
    }
  });
});
