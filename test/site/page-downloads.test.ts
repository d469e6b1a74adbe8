// The worst case a page can download (src/site/page-downloads.ts) for parts fetched together by a
// key's range: the pupil profile fetches a pupil's timeline part of each term, the parts of their
// detail file whose first and last pupil hold their id (reports/components/timeline-part.js). The
// most it can fetch is the largest sum of bytes over the parts one id falls in, not each part at
// the largest size of its folder. Hand-made indexes and parts, sums worked out by hand.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import { largestRangeSet, worstCase } from '../../src/site/page-downloads.ts';

const INDEX = ['detail_part', 'detail_file', 'first_pupil', 'last_pupil', 'file', 'bytes'];
const part = (detail_part: string, first_pupil: string, last_pupil: string, bytes: number) => ({
  detail_part, detail_file: detail_part.slice(0, 3), first_pupil, last_pupil, file: `${detail_part}.${'0'.repeat(12)}.arrow`, bytes,
});

describe('the largest set of parts one key fetches (largestRangeSet)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-downloads-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const index = (name: string, rows: Record<string, unknown>[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, arrowFile(rows, INDEX));
    return file;
  };

  it('sums the parts of one detail file whose ranges hold one id, at the worst id', () => {
    const year = index('y1.arrow', [
      // b01: autumn A–C (100) and D–F (40); spring A–F (70); summer B–D (50).
      part('b01-au', 'A', 'C', 100), part('b01-au-1', 'D', 'F', 40), part('b01-sp', 'A', 'F', 70), part('b01-su', 'B', 'D', 50),
      // b02: one large part alone (200), whose range overlaps b01's but is another file's.
      part('b02-au', 'A', 'F', 200),
    ]);
    // B or C: 100 + 70 + 50 = 220; D: 40 + 70 + 50 = 160; b02 alone 200; b01 + b02 never together.
    expect(largestRangeSet([year])).toBe(220);
    // The worst index of several.
    const other = index('y2.arrow', [part('b01-au', 'A', 'Z', 150), part('b01-su', 'M', 'M', 90)]);
    expect(largestRangeSet([year, other])).toBe(240);
    // Ids compared as DuckDB orders text (UTF-8 bytes), not by UTF-16: U+1F600 comes after U+FF5E.
    const wide = index('y3.arrow', [part('b01-au', 'S\uFF5E', 'S\u{1F600}', 30), part('b01-sp', 'S\u{1F600}', 'S\u{1F600}', 20)]);
    expect(largestRangeSet([wide])).toBe(50);
  });

  it('is none when no file is a range index', () => {
    const plain = path.join(dir, 'plain.arrow');
    writeFileSync(plain, arrowFile([{ file: 'x.arrow', bytes: 5 }], ['file', 'bytes']));
    expect(largestRangeSet([plain])).toBeNull();
    expect(largestRangeSet([])).toBeNull();
  });

  it('counts a page fetching a pupil\'s term parts as the largest set, not each part at its folder\'s largest', () => {
    // A site's folder: an index listing the year indexes (with bytes), one year index, three parts.
    const dist = path.join(dir, 'site');
    const folder = path.join(dist, '_file', 'data', 'pupil-detail');
    mkdirSync(folder, { recursive: true });
    const hex = (n: number) => String(n).repeat(12).slice(0, 12);
    const parts = [part('b01-au', 'A', 'C', 0), part('b01-sp', 'A', 'C', 0), part('b01-su', 'D', 'F', 0)].map((p, i) => ({ ...p, file: `${p.detail_part}.${hex(i + 1)}.arrow` }));
    const sizes = [300, 200, 450];
    parts.forEach((p, i) => {
      p.bytes = sizes[i];
      writeFileSync(path.join(folder, p.file), Buffer.alloc(sizes[i]));
    });
    const yearFile = `2025-26.${hex(9)}.arrow`;
    const yearBytes = arrowFile(parts, INDEX);
    writeFileSync(path.join(folder, yearFile), yearBytes);
    const top = arrowFile([{ academic_year: '2025/26', file: yearFile, rows: parts.length, bytes: yearBytes.length }], ['academic_year', 'file', 'rows', 'bytes']);
    writeFileSync(path.join(folder, 'timelines.arrow'), top);
    const fetched = (name: string, bytes: number) => ({ file: `/_file/data/pupil-detail/${name}`, bytes });
    // Opened on a pupil in A–C: the index, the year's index, the autumn and spring parts (500).
    const files = [fetched('timelines.arrow', top.length), fetched(yearFile, yearBytes.length), fetched(parts[0].file, 300), fetched(parts[1].file, 200)];
    // The worst pupil's set: A–C's 500 (D–F's is 450); each fetched part counted at the folder's
    // largest (450) would be 900.
    expect(worstCase(dist, files)).toBe(top.length + yearBytes.length + 500);
  });
});
