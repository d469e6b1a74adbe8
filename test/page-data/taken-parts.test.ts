// How an export puts a part taken from the previous site (src/page-data/mart-export.ts,
// emitArchive): a hard link of the previous site's file. A weekly rebuild exports over its own
// cache, which still holds the week before's parts: a file there that is already that very file
// (one inode) is kept; another file of the same name is replaced by the link.
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitArchive, exportLoader, exportSession, partsDirFor, type PageMember } from '../../src/page-data/mart-export.ts';
import { openWarehouse } from '../../src/warehouse/warehouse.ts';

describe('parts taken from the previous site, exported over a cache that has them', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-taken-'));
    db = path.join(dir, 'w.duckdb');
    (await openWarehouse(db)).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a file that is already the previous one, replaces another of its name, and links a new one', async () => {
    const previous = path.join(dir, 'previous');
    mkdirSync(previous);
    const member = (name: string, text: string): PageMember => {
      const file = path.join(previous, name);
      writeFileSync(file, text);
      return { name, part: true, file: { path: file, bytes: text.length, sha256: 'unchecked here' } };
    };
    const kept = member('a.000000000001.arrow', 'the week before');
    const replaced = member('b.000000000002.arrow', 'as published');
    const fresh = member('c.000000000003.arrow', 'new');
    const cache = path.join(dir, 'cache', 'data', 'timelines');
    const parts = partsDirFor(cache);
    mkdirSync(parts, { recursive: true });
    // The cache as the week before's export left it: a link of `kept`'s file, and a stale file of `replaced`'s name.
    linkSync(kept.file!.path, path.join(parts, kept.name));
    writeFileSync(path.join(parts, replaced.name), 'stale bytes');

    await exportSession(db, () => exportLoader('timelines', cache, () => emitArchive([kept, replaced, fresh])));

    for (const m of [kept, replaced, fresh]) {
      const put = path.join(parts, m.name);
      expect(statSync(put).ino, m.name).toBe(statSync(m.file!.path).ino);
      expect(readFileSync(put, 'utf8')).toBe(readFileSync(m.file!.path, 'utf8'));
      // One link in the cache, one in the previous site: none made twice, none lost.
      expect(statSync(m.file!.path).nlink, m.name).toBe(2);
    }
  });
});
