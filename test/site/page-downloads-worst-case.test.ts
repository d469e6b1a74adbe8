/**
 * worstCase (src/site/page-downloads.ts) for parts no fetched index lists (a pupil's timeline,
 * found by their row in the directory): the most one choice can fetch of such a folder is its
 * largest file, or, where the files are one a term (the school's latest year, cut by term: at
 * most one a term for a pupil), the largest of each term together. Hand-made files of known sizes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worstCase } from '../../src/site/page-downloads.ts';

describe('the most a page can fetch of parts found by a row of another part', () => {
  let dist: string;
  const folder = '/_file/data/pupil-detail/';
  const sizes: Record<string, number> = {
    'b00.000000000001.arrow': 5000, // a year cut whole: the largest of those
    'b01.000000000002.arrow': 4000,
    't1_b00.000000000003.arrow': 3000,
    't1_b01.000000000004.arrow': 2500,
    't2_b00.000000000005.arrow': 1000,
    't3_b00.000000000006.arrow': 1500,
    't3_b01-1.000000000007.arrow': 1800,
  };
  beforeAll(() => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'pastoral-worst-'));
    mkdirSync(path.join(dist, ...folder.split('/').filter(Boolean)), { recursive: true });
    for (const [name, bytes] of Object.entries(sizes)) writeFileSync(path.join(dist, ...folder.split('/').filter(Boolean), name), Buffer.alloc(bytes));
    writeFileSync(path.join(dist, 'page.js'), Buffer.alloc(100));
  });
  afterAll(() => {
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it("counts a folder's term parts as the largest of each term together, once however many were fetched", () => {
    // Opened on the latest year: three term parts fetched (3,000 + 1,000 + 1,500). Any pupil's
    // latest year is at most the largest autumn, spring and summer parts: 3,000 + 1,000 + 1,800
    // = 5,800, more than the largest whole year's part (5,000).
    const fetched = [
      { file: '/page.js', bytes: 100 },
      { file: `${folder}t1_b00.000000000003.arrow`, bytes: 3000 },
      { file: `${folder}t2_b00.000000000005.arrow`, bytes: 1000 },
      { file: `${folder}t3_b00.000000000006.arrow`, bytes: 1500 },
    ];
    expect(worstCase(dist, fetched)).toBe(100 + 5800);
    // Opened on an older year (one part): the same bound, as the latest year can be chosen.
    expect(worstCase(dist, [{ file: `${folder}b01.000000000002.arrow`, bytes: 4000 }])).toBe(5800);
  });

  it('without term parts, the largest file of the folder', () => {
    for (const name of Object.keys(sizes).filter((n) => n.startsWith('t'))) rmSync(path.join(dist, ...folder.split('/').filter(Boolean), name));
    expect(worstCase(dist, [{ file: `${folder}b01.000000000002.arrow`, bytes: 4000 }])).toBe(5000);
  });
});
