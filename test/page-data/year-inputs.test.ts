/**
 * What a (school, academic year)'s timeline rows were built from (src/page-data/year-inputs.ts):
 * a change the model runner rebuilds the latest year alone for changes that year's digest alone;
 * every other change (an older year, a row with no year, a new year, any model's code) changes
 * every year's digest, as the runner then rebuilds every year. And a part's members digest follows
 * its pupils, whatever order they come in, and its year's inputs. (Which marts the rule holds for:
 * test/models/latest-year-alone.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { digestsOf, partMembersDigest } from '../../src/page-data/year-inputs.ts';

const models = ['mart_pupil_timeline\taaa', 'stg_behaviour\tbbb'];
const raw = [
  { school: 'S1', year: null, line: 'students\tnull\tnull\t120\t77' },
  { school: 'S1', year: '2023/24', line: 'behaviour\t2023/24\t2023-09-04\t10\t1' },
  { school: 'S1', year: '2024/25', line: 'behaviour\t2024/25\t2024-09-02\t12\t2' },
  { school: 'S1', year: '2025/26', line: 'behaviour\t2025/26\t2025-09-01\t14\t3' },
  { school: 'S1', year: '2025/26', line: 'attendance\t2025/26\t2025-09-01\t900\t4' },
  { school: 'S2', year: '2025/26', line: 'behaviour\t2025/26\t2025-09-01\t5\t5' },
];
const years = ['2023/24', '2024/25', '2025/26'];
const changedYears = (a: ReturnType<typeof digestsOf>, b: ReturnType<typeof digestsOf>, school = 'S1') =>
  [...new Set([...(a.get(school)?.keys() ?? []), ...(b.get(school)?.keys() ?? [])])].sort().filter((y) => a.get(school)?.get(y) !== b.get(school)?.get(y));

describe('timeline input digests', () => {
  const before = digestsOf(models, raw);

  it('gives each school its years, in any order of the lines', () => {
    expect([...(before.get('S1')?.keys() ?? [])].sort()).toEqual(years);
    expect(digestsOf([...models].reverse(), [...raw].reverse())).toEqual(before);
  });

  it('changes the latest year alone when only its rows change (a week added)', () => {
    const week = digestsOf(models, [...raw, { school: 'S1', year: '2025/26', line: 'behaviour\t2025/26\t2025-09-08\t3\t9' }]);
    expect(changedYears(before, week)).toEqual(['2025/26']);
    expect(changedYears(before, week, 'S2')).toEqual([]);
  });

  it('changes every year on a change to an older year, a row with no year, a new year or a model', () => {
    const older = digestsOf(models, raw.map((r) => (r.line.startsWith('behaviour\t2023/24') ? { ...r, line: 'behaviour\t2023/24\t2023-09-04\t10\t99' } : r)));
    expect(changedYears(before, older)).toEqual(years);
    const undated = digestsOf(models, raw.map((r) => (r.year === null && r.school === 'S1' ? { ...r, line: 'students\tnull\tnull\t121\t78' } : r)));
    expect(changedYears(before, undated)).toEqual(years);
    const nextYear = digestsOf(models, [...raw, { school: 'S1', year: '2026/27', line: 'behaviour\t2026/27\t2026-09-07\t1\t1' }]);
    expect(changedYears(before, nextYear)).toEqual([...years, '2026/27']);
    const model = digestsOf(['mart_pupil_timeline\taaa', 'stg_behaviour\tccc'], raw);
    expect(changedYears(before, model)).toEqual(years);
    expect(changedYears(before, model, 'S2')).toEqual(['2025/26']);
  });

  it('leaves a school alone when another school changes', () => {
    const other = digestsOf(models, raw.map((r) => (r.school === 'S2' ? { ...r, line: 'behaviour\t2025/26\t2025-09-01\t6\t6' } : r)));
    expect(changedYears(before, other)).toEqual([]);
    expect(changedYears(before, other, 'S2')).toEqual(['2025/26']);
  });
});

describe('a part\'s members digest', () => {
  const inputs = 'a'.repeat(64);
  const digest = partMembersDigest(inputs, '2025/26|b00', ['P1', 'P2']);
  it('is the same whatever order the pupils come in', () => {
    expect(partMembersDigest(inputs, '2025/26|b00', ['P2', 'P1'])).toBe(digest);
  });
  it('changes with a pupil more or fewer, another part, or other inputs', () => {
    expect(partMembersDigest(inputs, '2025/26|b00', ['P1'])).not.toBe(digest);
    expect(partMembersDigest(inputs, '2025/26|b00', ['P1', 'P2', 'P3'])).not.toBe(digest);
    expect(partMembersDigest(inputs, '2025/26|b00-1', ['P1', 'P2'])).not.toBe(digest);
    expect(partMembersDigest('b'.repeat(64), '2025/26|b00', ['P1', 'P2'])).not.toBe(digest);
  });
});
