// membersOfParts (src/page-data/timeline-previous-members.ts): which pupils each timeline part of
// the previous build held, from its published directory (each pupil's detail file and years) and
// its years' indexes (each part's first and last pupil), on hand-made rows. Anything it cannot
// place gives null, so the export queries the pupils instead.
import { describe, expect, it } from 'vitest';
import { membersOfParts } from '../../src/page-data/timeline-previous-members.ts';

const pupil = (school: string, student_id: string, detail_file: string, detail_years: string, detail_terms: string | null = null) => ({ school, student_id, detail_file, detail_years, detail_terms });
const part = (school: string, year: string, detail_part: string, first_pupil: string, last_pupil: string) => ({
  school,
  year,
  detail_part,
  detail_file: detail_part.replace(/^t\d_/, '').replace(/-\d+$/, ''),
  first_pupil,
  last_pupil,
});

describe('membersOfParts', () => {
  it('puts each pupil of a year in the piece of their detail file whose range holds their id', () => {
    const pupils = [
      pupil('S1', 'P1', 'b00', '2024/25,2025/26'),
      pupil('S1', 'P2', 'b00', '2024/25'),
      pupil('S1', 'P3', 'b00', '2024/25,2025/26'),
      pupil('S1', 'P4', 'b01', '2025/26'),
      pupil('S1', 'P5', 'b00', ''), // no timeline rows: in no part
      pupil('S2', 'P1', 'b00', '2025/26'), // another school's pupil of the same id
    ];
    const parts = [
      // 2024/25: b00 cut in two pieces (P1–P2, P3); 2025/26: b00 whole (P1, P3), and b01.
      part('S1', '2024/25', 'b00', 'P1', 'P2'),
      part('S1', '2024/25', 'b00-1', 'P3', 'P3'),
      part('S1', '2025/26', 'b00', 'P1', 'P3'),
      part('S1', '2025/26', 'b01', 'P4', 'P4'),
      part('S2', '2025/26', 'b00', 'P1', 'P1'),
    ];
    const members = membersOfParts(pupils, parts);
    expect(members && Object.fromEntries([...members].map(([s, m]) => [s, Object.fromEntries(m)]))).toEqual({
      S1: { '2024/25|b00': ['P1', 'P2'], '2024/25|b00-1': ['P3'], '2025/26|b00': ['P1', 'P3'], '2025/26|b01': ['P4'] },
      S2: { '2025/26|b00': ['P1'] },
    });
  });

  it("puts each pupil of a year cut by term in the piece of each term they have rows in (detail_terms), their detail file's range holding their id", () => {
    // 2025/26 cut by term: the ranges overlap from term to term, and P2 (rows in the autumn and
    // summer only) lies inside the spring's range without being in it.
    const pupils = [
      pupil('S1', 'P1', 'b00', '2024/25,2025/26', '1,2,3'),
      pupil('S1', 'P2', 'b00', '2025/26', '1,3'),
      pupil('S1', 'P3', 'b00', '2024/25,2025/26', '2'),
    ];
    const parts = [
      part('S1', '2024/25', 'b00', 'P1', 'P3'),
      part('S1', '2025/26', 't1_b00', 'P1', 'P1'),
      part('S1', '2025/26', 't1_b00-1', 'P2', 'P2'),
      part('S1', '2025/26', 't2_b00', 'P1', 'P3'),
      part('S1', '2025/26', 't3_b00', 'P1', 'P2'),
    ];
    expect(Object.fromEntries(membersOfParts(pupils, parts)?.get('S1') ?? [])).toEqual({
      '2024/25|b00': ['P1', 'P3'],
      '2025/26|t1_b00': ['P1'],
      '2025/26|t1_b00-1': ['P2'],
      '2025/26|t2_b00': ['P1', 'P3'],
      '2025/26|t3_b00': ['P1', 'P2'],
    });
    // A pupil of a year cut by term without its terms (a directory of another build), or with a
    // term no part of theirs holds: null, so the pupils are queried.
    expect(membersOfParts([pupil('S1', 'P1', 'b00', '2025/26')], parts.slice(1, 2))).toBeNull();
    expect(membersOfParts([pupil('S1', 'P1', 'b00', '2025/26', '1,2')], parts.slice(1, 2))).toBeNull();
  });

  it("puts each pupil with rows in the latest month in the month's piece whose range holds their id, the month cut from all the school's pupils", () => {
    // The latest month (block 4, detail file "all"): P1 (b00) and P4 (b01) share a piece; P5
    // (b00) is in the next; P2 has no rows that month, though the first piece's range holds them.
    const pupils = [
      pupil('S1', 'P1', 'b00', '2025/26', '1,4'),
      pupil('S1', 'P2', 'b00', '2025/26', '1'),
      pupil('S1', 'P4', 'b01', '2025/26', '4'),
      pupil('S1', 'P5', 'b00', '2025/26', '4'),
    ];
    const parts = [
      part('S1', '2025/26', 't1_b00', 'P1', 'P2'),
      part('S1', '2025/26', 't4_all', 'P1', 'P4'),
      part('S1', '2025/26', 't4_all-1', 'P5', 'P5'),
    ];
    expect(Object.fromEntries(membersOfParts(pupils, parts)?.get('S1') ?? [])).toEqual({
      '2025/26|t1_b00': ['P1', 'P2'],
      '2025/26|t4_all': ['P1', 'P4'],
      '2025/26|t4_all-1': ['P5'],
    });
    // The month's pieces are not looked for under the pupil's own detail file.
    expect(membersOfParts(pupils, [parts[0], part('S1', '2025/26', 't4_b00', 'P1', 'P5')])).toBeNull();
  });

  it('orders ids by their UTF-8 bytes, as DuckDB cut the pieces, not as JavaScript compares strings', () => {
    // U+FFFD sorts before U+1F600 by bytes (EF… < F0…), after it by UTF-16 code units (FFFD > D83D).
    const pupils = [pupil('S1', 'a\uFFFD', 'b00', '2025/26'), pupil('S1', 'a\u{1F600}', 'b00', '2025/26')];
    const parts = [part('S1', '2025/26', 'b00', 'a', 'a\uFFFD'), part('S1', '2025/26', 'b00-1', 'a\u{1F600}', 'a\u{1F600}')];
    expect(Object.fromEntries(membersOfParts(pupils, parts)?.get('S1') ?? [])).toEqual({ '2025/26|b00': ['a\uFFFD'], '2025/26|b00-1': ['a\u{1F600}'] });
  });

  it('gives null when a pupil\'s year is in no part of their detail file, a part holds no pupil, or a part is listed twice', () => {
    const parts = [part('S1', '2025/26', 'b00', 'P1', 'P2')];
    // P3 has the year, but no part's range holds them.
    expect(membersOfParts([pupil('S1', 'P1', 'b00', '2025/26'), pupil('S1', 'P3', 'b00', '2025/26')], parts)).toBeNull();
    // P1's year has no part of their detail file.
    expect(membersOfParts([pupil('S1', 'P1', 'b01', '2025/26')], parts)).toBeNull();
    // A part nobody is in.
    expect(membersOfParts([pupil('S1', 'P1', 'b00', '2025/26')], [...parts, part('S1', '2024/25', 'b00', 'P1', 'P1')])).toBeNull();
    // The same part twice.
    expect(membersOfParts([pupil('S1', 'P1', 'b00', '2025/26')], [...parts, ...parts])).toBeNull();
  });
});
