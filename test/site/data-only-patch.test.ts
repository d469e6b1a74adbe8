/**
 * The data-only rebuild's patch of a previous site (src/site/data-only-build.ts) on a small site
 * written by hand, as Framework 1.13.4 lays one out: a page at the root and one in a folder
 * (whose registerFile names and paths start "../"), a data file and a partitioned loader's folder.
 * What it must do (new names by SHA-256, sizes and times from the loader cache, old data left
 * out, the rest linked, the previous site untouched) and when it must refuse (see
 * test/site/data-only-build.test.ts for whole sites against Framework's own build).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_STATE_DIR } from '../../src/page-data/build-state.ts';
import { buildDataOnly, recordSiteShell } from '../../src/site/data-only-build.ts';

const hash8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const registerFile = (name: string, info: Record<string, unknown>) => `registerFile(${JSON.stringify(name)}, ${JSON.stringify({ name, ...info })});`;
const page = (...registered: string[]) => `<!DOCTYPE html>\n<html>\n<head>\n<script type="module">\nimport {registerFile} from "./_observablehq/stdlib.js";\n${registered.join('\n')}\n</script>\n</head>\n<body>\n</body>\n</html>\n`;

describe('a previous site patched with new page data', () => {
  let dir: string;
  let root: string;
  let previous: string;
  let building: string;
  const arrow = 'application/vnd.apache.arrow.file';

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-patch-'));
    root = path.join(dir, 'reports');
    previous = path.join(dir, 'dist');
    building = path.join(dir, 'dist.building');
    // The loader cache: this build's data.
    write(path.join(root, '.observablehq', 'cache', 'data', 'weeks.arrow'), 'new weeks!');
    write(path.join(root, '.observablehq', 'cache', 'data', 'lists', 'index.arrow'), 'new index');
    // The previous site.
    write(path.join(previous, 'index.html'), page(registerFile('./data/weeks.arrow', { mimeType: arrow, path: './_file/data/weeks.0a1b2c3d.arrow', lastModified: 1, size: 9 })));
    write(
      path.join(previous, 'school', 'report.html'),
      page(
        registerFile('../data/lists/index.arrow', { mimeType: arrow, path: '../_file/data/lists/index.aaaaaaaa.arrow', lastModified: 1, size: 9 }),
        registerFile('../data/weeks.arrow', { mimeType: arrow, path: '../_file/data/weeks.0a1b2c3d.arrow', lastModified: 1, size: 9 }),
      ),
    );
    write(path.join(previous, '_file', 'data', 'weeks.0a1b2c3d.arrow'), 'old weeks');
    write(path.join(previous, '_file', 'data', 'lists', 'index.aaaaaaaa.arrow'), 'old index');
    write(path.join(previous, '_file', 'data', 'lists', 'y7.0123456789ab.arrow'), 'old part');
    write(path.join(previous, '_observablehq', 'client.js'), 'export {};');
    write(path.join(previous, '_import', 'components', 'chart.js'), 'export const chart = 1;');
    await recordSiteShell(previous, 'shell-1', ['data/lists']);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the new data under Framework\'s names, rewrites each registerFile, links the rest and leaves the old site as it was', async () => {
    const before = readFileSync(path.join(previous, 'school', 'report.html'), 'utf8');
    expect(await buildDataOnly({ root, previous, building, shell: 'shell-1' })).toBe(true);
    const weeks = `weeks.${hash8('new weeks!')}.arrow`;
    const index = `index.${hash8('new index')}.arrow`;
    expect(readdirSync(path.join(building, '_file', 'data')).sort()).toEqual(['lists', weeks]);
    // The parts' folder holds only the new index: the build links this build's parts in after.
    expect(readdirSync(path.join(building, '_file', 'data', 'lists'))).toEqual([index]);
    expect(readFileSync(path.join(building, '_file', 'data', weeks), 'utf8')).toBe('new weeks!');
    const time = (file: string) => Math.floor(statSync(path.join(root, '.observablehq', 'cache', 'data', file)).mtimeMs);
    expect(readFileSync(path.join(building, 'index.html'), 'utf8')).toBe(
      page(registerFile('./data/weeks.arrow', { mimeType: arrow, path: `./_file/data/${weeks}`, lastModified: time('weeks.arrow'), size: 10 })),
    );
    expect(readFileSync(path.join(building, 'school', 'report.html'), 'utf8')).toBe(
      page(
        registerFile('../data/lists/index.arrow', { mimeType: arrow, path: `../_file/data/lists/${index}`, lastModified: time('lists/index.arrow'), size: 9 }),
        registerFile('../data/weeks.arrow', { mimeType: arrow, path: `../_file/data/${weeks}`, lastModified: time('weeks.arrow'), size: 10 }),
      ),
    );
    // The rest of the site is the previous one's files (linked where the disk allows); its build state is not taken.
    expect(readFileSync(path.join(building, '_observablehq', 'client.js'), 'utf8')).toBe('export {};');
    expect(existsSync(path.join(building, '_import', 'components', 'chart.js'))).toBe(true);
    expect(existsSync(path.join(building, BUILD_STATE_DIR))).toBe(false);
    // Pages are written afresh, never linked to the previous site's: that one is unchanged.
    expect(statSync(path.join(building, 'index.html')).ino).not.toBe(statSync(path.join(previous, 'index.html')).ino);
    expect(readFileSync(path.join(previous, 'school', 'report.html'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(previous, '_file', 'data', 'weeks.0a1b2c3d.arrow'), 'utf8')).toBe('old weeks');
  });

  it('refuses another shell, a site with no record, a file the export did not write, and a data file named anywhere else', async () => {
    expect(await buildDataOnly({ root, previous, building, shell: 'shell-2' })).toBe(false);
    rmSync(path.join(previous, BUILD_STATE_DIR), { recursive: true });
    expect(await buildDataOnly({ root, previous, building, shell: 'shell-1' })).toBe(false);
    await recordSiteShell(previous, 'shell-1', ['data/lists']);
    expect(await buildDataOnly({ root, previous, building: path.join(dir, 'b1'), shell: 'shell-1' })).toBe(true);

    // A page naming a file no loader wrote.
    const report = path.join(previous, 'school', 'report.html');
    const html = readFileSync(report, 'utf8');
    writeFileSync(report, html.replaceAll('data/lists/', 'data/gone/'));
    expect(await buildDataOnly({ root, previous, building: path.join(dir, 'b2'), shell: 'shell-1' })).toBe(false);
    // A path not of Framework's form (no hash of 8 hex digits).
    writeFileSync(report, html.replace('index.aaaaaaaa.arrow', 'index.arrow'));
    expect(await buildDataOnly({ root, previous, building: path.join(dir, 'b3'), shell: 'shell-1' })).toBe(false);
    // A data file named outside the registerFile calls (its old name would stay).
    writeFileSync(report, html.replace('</body>', '<a href="../_file/data/weeks.0a1b2c3d.arrow">weeks</a>\n</body>'));
    expect(await buildDataOnly({ root, previous, building: path.join(dir, 'b4'), shell: 'shell-1' })).toBe(false);
    writeFileSync(report, html);
    // A component module that names a data file (Framework writes its hashed path into the module).
    write(path.join(previous, '_import', 'components', 'chart.js'), 'const f = FileAttachment({"path":"../../_file/data/weeks.0a1b2c3d.arrow"});');
    expect(await buildDataOnly({ root, previous, building: path.join(dir, 'b5'), shell: 'shell-1' })).toBe(false);
  });
});
