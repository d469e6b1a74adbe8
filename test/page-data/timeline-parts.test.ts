// timelinePartsQuery (src/page-data/timeline-parts.ts) on hand-made timeline rows: each part is
// one academic year of one detail part; a year's part holds the pupil's rows of that year and
// their interventions of other years that run into it (1 September – 31 July, as the page counts
// them), only in years the pupil has rows in; a year's pieces of a detail file are cut from that
// year's rows alone (with the copies), where the pupils' rows, in id order, pass a multiple of the
// piece size, so rows added to one year move no pupil between the pieces of another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockEnd, blocksFrom, enumsOfTextValues, latestMonthQuery, monthPieceRows, readFrom, splitTimelinePart, termEnd, termPieceRows, termStart, timelineFingerprintQuery, timelineMembersQuery, timelinePartFile, timelinePartsQuery, timelinePartTerm, timelineQueryPlans, timelineTextColumnsQuery, timelineTextValuesQuery, queriedTimelinePart } from '../../src/page-data/timeline-parts.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const COLUMNS = ['school_id', 'student_id', 'academic_year', 'kind', 'record_id', 'date', 'end_date'];

describe('pupil timelines by academic year (timelinePartsQuery)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await warehouse.connection.run(`CREATE TABLE mart_pupil_timeline (detail_file VARCHAR, school_id VARCHAR, student_id VARCHAR, academic_year VARCHAR,
      kind VARCHAR, record_id VARCHAR, "date" DATE, end_date DATE, "time" VARCHAR)`);
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      -- A: 2023/24 three rows (an intervention ending in June, one never ending), 2024/25 one
      ('b01', 'S1', 'A', '2023/24', 'behaviour',    'a1', '2023-10-01', NULL,         '09:00'),
      ('b01', 'S1', 'A', '2023/24', 'intervention', 'i1', '2024-03-01', NULL,         NULL),
      ('b01', 'S1', 'A', '2023/24', 'intervention', 'i2', '2023-09-10', '2024-06-30', NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour',    'a2', '2024-10-01', NULL,         '10:00'),
      -- B: same detail file, after A (by id): 2024/25 only
      ('b01', 'S1', 'B', '2024/25', 'behaviour',    'b1', '2024-11-01', NULL,         '09:00'),
      ('b01', 'S1', 'B', '2024/25', 'detention',    'b2', '2024-11-02', NULL,         NULL),
      -- C: an intervention running into 2024/25, a year C has no rows in: not copied
      ('b02', 'S1', 'C', '2023/24', 'intervention', 'c1', '2023-11-01', '2024-09-15', NULL),
      -- another school
      ('b01', 'S2', 'A', '2023/24', 'behaviour',    'z1', '2023-10-01', NULL,         NULL)`);
  });
  afterAll(() => warehouse?.close());

  const parts = async (pieceRows: number) => {
    const { sql, parameters } = timelinePartsQuery(COLUMNS, 'S1', pieceRows);
    const prepared = await warehouse.connection.prepare(sql);
    prepared.bind(parameters as string[]);
    const rows = (await prepared.runAndReadAll()).getRowObjectsJS();
    return rows.map((r) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.academic_year} ${r.record_id}`);
  };

  it('cuts by year and piece, copying interventions into the years they run in', async () => {
    // 2024/25: A has a2 and the copy of i1 (2 rows), so B starts at 2: piece 1 of 2.
    expect(await parts(2)).toEqual([
      '2023/24|b01 A 2023/24 i2',
      '2023/24|b01 A 2023/24 a1',
      '2023/24|b01 A 2023/24 i1',
      '2023/24|b02 C 2023/24 c1',
      '2024/25|b01 A 2023/24 i1',
      '2024/25|b01 A 2024/25 a2',
      '2024/25|b01-1 B 2024/25 b1',
      '2024/25|b01-1 B 2024/25 b2',
    ]);
    // With room for both in 2024/25 (2 rows before B, under 3), B shares A's piece: the year's own
    // rows decide, not A's larger 2023/24 (3 rows), which would have put B in a piece of its own.
    expect((await parts(3)).filter((r) => r.startsWith('2024/25'))).toEqual([
      '2024/25|b01 A 2023/24 i1',
      '2024/25|b01 A 2024/25 a2',
      '2024/25|b01 B 2024/25 b1',
      '2024/25|b01 B 2024/25 b2',
    ]);
  });

  it("leaves a year's pieces as they were when another year's rows grow", async () => {
    // A's 2024/25 grows past the piece size: its own year's pieces move (B to piece 2 … or more),
    // 2023/24's stay as they were.
    const before = await parts(2);
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      ('b01', 'S1', 'A', '2024/25', 'behaviour', 'g1', '2024-10-02', NULL, NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour', 'g2', '2024-10-03', NULL, NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour', 'g3', '2024-10-04', NULL, NULL)`);
    try {
      const after = await parts(2);
      expect(after.filter((r) => r.startsWith('2023/24'))).toEqual(before.filter((r) => r.startsWith('2023/24')));
      expect(after.filter((r) => r.includes(' B '))).toEqual(['2024/25|b01-2 B 2024/25 b1', '2024/25|b01-2 B 2024/25 b2']);
      // A rebuild asking for one year's part alone (its pieces cut from that year's rows only): the same rows.
      const { sql, parameters } = timelinePartsQuery(COLUMNS, 'S1', 2, ['2024/25|b01-2']);
      const prepared = await warehouse.connection.prepare(sql);
      prepared.bind(parameters as string[]);
      const only = (await prepared.runAndReadAll()).getRowObjectsJS().map((r) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.academic_year} ${r.record_id}`);
      expect(only).toEqual(after.filter((r) => r.startsWith('2024/25|b01-2 ')));
    } finally {
      await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id IN ('g1', 'g2', 'g3')`);
    }
    expect(await parts(2)).toEqual(before);
  });

  it('reads a column given its values as an ENUM: the same rows and text, and an unlisted value stops the query', async () => {
    const run = async (enums: Map<string, string[]>) => {
      const { sql, parameters } = timelinePartsQuery(COLUMNS, 'S1', 2, undefined, enums);
      const prepared = await warehouse.connection.prepare(sql);
      prepared.bind(parameters as string[]);
      const result = await prepared.runAndReadAll();
      return { type: String(result.columnTypes()[result.columnNames().indexOf('kind')]), rows: result.getRowObjectsJS().map((r) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.kind} ${r.record_id}`) };
    };
    const plain = await run(new Map());
    expect(plain.type).toBe('VARCHAR');
    const asEnum = await run(new Map([['kind', ['behaviour', 'detention', 'intervention']]]));
    expect(asEnum.type).toMatch(/^ENUM/);
    expect(asEnum.rows).toEqual(plain.rows);
    await expect(run(new Map([['kind', ['behaviour', 'intervention']]]))).rejects.toThrow(/detention/);
  });

  const prints = async () => {
    const { sql, parameters } = timelineFingerprintQuery(COLUMNS, 'S1', 2);
    const prepared = await warehouse.connection.prepare(sql);
    prepared.bind(parameters as string[]);
    return (await prepared.runAndReadAll()).getRowObjectsJS().map((r) => ({ part: String(r.part), rows: Number(r.rows), sum: String(r.sum), xor: String(r.xor), pupils: String(r.pupils) }));
  };

  it('fingerprints each part (rows, pupils, hashes), and gives only the parts asked for', async () => {
    const before = await prints();
    // The parts and their rows as the query cuts them (above), each pupil listed once, in order.
    expect(before.map((p) => `${p.part} ${p.rows} ${p.pupils.split('\u001f').join(',')}`)).toEqual([
      '2023/24|b01 3 A',
      '2023/24|b02 1 C',
      '2024/25|b01 2 A',
      '2024/25|b01-1 2 B',
    ]);
    // Asked for two parts: their rows, as the whole query gives them, and no other.
    const { sql, parameters } = timelinePartsQuery(COLUMNS, 'S1', 2, ['2024/25|b01-1', '2023/24|b02']);
    const prepared = await warehouse.connection.prepare(sql);
    prepared.bind(parameters as string[]);
    const only = (await prepared.runAndReadAll()).getRowObjectsJS().map((r) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.academic_year} ${r.record_id}`);
    expect(only).toEqual((await parts(2)).filter((r) => r.startsWith('2023/24|b02') || r.startsWith('2024/25|b01-1')));
    // Asked for a year: every part of it (with the copies of earlier years' interventions), and no other.
    const year = timelinePartsQuery(COLUMNS, 'S1', 2, { years: ['2024/25'] });
    const yearQuery = await warehouse.connection.prepare(year.sql);
    yearQuery.bind(year.parameters as string[]);
    const ofYear = (await yearQuery.runAndReadAll()).getRowObjectsJS().map((r) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.academic_year} ${r.record_id}`);
    expect(ofYear).toEqual((await parts(2)).filter((r) => r.startsWith('2024/25|')));
    expect(ofYear.some((r) => r.includes(' 2023/24 '))).toBe(true);
    // A value changed in one part changes that part's fingerprint only; so does a row made equal
    // to another (in an xor alone, two equal rows would cancel out).
    await warehouse.connection.run(`UPDATE mart_pupil_timeline SET "time" = '11:00' WHERE record_id = 'b1'`);
    const changed = await prints();
    expect(changed.map((p, i) => p.sum !== before[i].sum || p.xor !== before[i].xor)).toEqual([false, false, false, true]);
    await warehouse.connection.run(`UPDATE mart_pupil_timeline SET "time" = '09:00' WHERE record_id = 'b1'`);
    expect(await prints()).toEqual(before);
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES ('b02', 'S1', 'C', '2023/24', 'intervention', 'c1', '2023-11-01', '2024-09-15', NULL)`);
    const doubled = await prints();
    expect(doubled[1].rows).toBe(2);
    expect(doubled[1].sum).not.toBe(before[1].sum);
    await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id = 'c1'`);
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES ('b02', 'S1', 'C', '2023/24', 'intervention', 'c1', '2023-11-01', '2024-09-15', NULL)`);
    expect(await prints()).toEqual(before);
  });

  it('lists the text columns with few values (timelineTextValuesQuery), read as ENUMs with the same rows', async () => {
    const text = (await warehouse.connection.runAndReadAll(timelineTextColumnsQuery([...COLUMNS, 'time', 'no_such_column']).sql)).getRowObjectsJS().map((r) => String(r.column_name));
    // The text columns among those asked for, in the mart's order: not the dates, not a column it lacks.
    expect(text).toEqual(['school_id', 'student_id', 'academic_year', 'kind', 'record_id', 'time']);
    const values = async (limit: number) => enumsOfTextValues((await warehouse.connection.runAndReadAll(timelineTextValuesQuery(text, limit).sql)).getRowObjectsJS()[0], text);
    // S1, S2; A, B, C; 2023/24, 2024/25; three kinds; eight record ids; two times.
    const two = await values(2);
    expect(Object.fromEntries(two)).toEqual({ school_id: ['S1', 'S2'], academic_year: ['2023/24', '2024/25'], time: ['09:00', '10:00'] });
    expect(Object.fromEntries(await values(3))).toEqual({ ...Object.fromEntries(two), student_id: ['A', 'B', 'C'], kind: ['behaviour', 'detention', 'intervention'] });
    // Every text column as an ENUM: the rows and their text as read as VARCHAR.
    const all = await values(100);
    expect(all.get('record_id')).toHaveLength(8);
    const read = async (enums: Map<string, string[]>) => {
      const { sql, parameters } = timelinePartsQuery([...COLUMNS, 'time'], 'S1', 3, undefined, enums);
      const prepared = await warehouse.connection.prepare(sql);
      prepared.bind(parameters as string[]);
      const result = await prepared.runAndReadAll();
      return { types: result.columnTypes().map(String), rows: result.getRowObjectsJS() };
    };
    const asText = await read(new Map());
    const asEnums = await read(all);
    expect(asEnums.types.filter((t) => t.startsWith('ENUM'))).toHaveLength(6);
    expect(asEnums.rows).toEqual(asText.rows);
    // Text with a quote and non-ASCII letters survives the list (JSON) and the ENUM's literal.
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES ('b01', 'S1', 'A', '2024/25', 'behaviour', 'q1', '2024-10-02', NULL, 'l''été, "x"')`);
    const quoted = await values(100);
    expect(quoted.get('time')).toContain(`l'été, "x"`);
    const withQuote = await read(quoted);
    expect(withQuote.rows.find((r) => r.record_id === 'q1')?.time).toBe(`l'été, "x"`);
    expect(withQuote.rows).toEqual((await read(new Map())).rows);
    await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id = 'q1'`);
    expect(() => timelineTextValuesQuery(COLUMNS, 0)).toThrow(/positive integer/);
  });

  it('reads the values from the rows a rebuild queries (a school\'s years, and its interventions of any year): every value those parts hold', async () => {
    const text = ['school_id', 'student_id', 'academic_year', 'kind', 'record_id', 'time'];
    const values = async (reading: Parameters<typeof timelineTextValuesQuery>[2]) =>
      enumsOfTextValues((await warehouse.connection.runAndReadAll(timelineTextValuesQuery(text, 100, reading).sql)).getRowObjectsJS()[0], text);
    // S1's 2024/25 rows (a2, b1, b2) and S1's interventions of any year (i1, i2, c1): not a1, not S2's z1.
    const latest = await values([{ school: 'S1', years: ['2024/25'] }]);
    expect(latest.get('record_id')).toEqual(['a2', 'b1', 'b2', 'c1', 'i1', 'i2']);
    expect(latest.get('school_id')).toEqual(['S1']);
    expect(latest.get('kind')).toEqual(['behaviour', 'detention', 'intervention']);
    // How many rows that read is: those three and the three interventions.
    expect(Number((await warehouse.connection.runAndReadAll(timelineTextValuesQuery(text, 100, [{ school: 'S1', years: ['2024/25'] }]).sql)).getRowObjectsJS()[0].rows_read)).toBe(6);
    // A read of the latest year's later terms (from a day): its rows from that day, and the interventions.
    expect((await values([{ school: 'S1', years: ['2024/25'], from: '2024-11-01' }])).get('record_id')).toEqual(['b1', 'b2', 'c1', 'i1', 'i2']);
    expect(readFrom({ years: ['2024/25'], fromTerm: 2 }, '2024/25')).toBe('2025-01-01');
    expect([readFrom({ years: ['2024/25'] }, '2024/25'), readFrom({ years: ['2023/24'], fromTerm: 2 }, '2024/25'), readFrom(['2024/25|t2_b01'], '2024/25'), readFrom(undefined, null)]).toEqual([undefined, undefined, undefined, undefined]);
    // A school read whole, beside one read for a year; and the whole mart without `reading`.
    expect((await values([{ school: 'S2' }, { school: 'S1', years: ['2024/25'] }])).get('record_id')).toEqual(['a2', 'b1', 'b2', 'c1', 'i1', 'i2', 'z1']);
    expect((await values(undefined)).get('record_id')).toHaveLength(8);
    // The 2024/25 parts read with those values as ENUMs: the copy of A's 2023/24 intervention i1
    // among them, no value missing (DuckDB would stop on one), the same rows as read as text.
    const read = async (enums: Map<string, string[]>) => {
      const { sql, parameters } = timelinePartsQuery([...COLUMNS, 'time'], 'S1', 3, ['2024/25|b01', '2024/25|b01-1'], enums);
      const prepared = await warehouse.connection.prepare(sql);
      prepared.bind(parameters as string[]);
      return (await prepared.runAndReadAll()).getRowObjectsJS();
    };
    const asEnums = await read(latest);
    expect(asEnums.map((r) => r.record_id)).toEqual(['i1', 'a2', 'b1', 'b2']);
    expect(asEnums).toEqual(await read(new Map()));
    // Rows with no date: an intervention is read with the school's others (whatever its year or
    // day), a behaviour event of the year only when the read is not from a day on.
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      ('b01', 'S1', 'A', '2024/25', 'intervention', 'n1', NULL, NULL, NULL),
      ('b01', 'S1', 'A', NULL,      'intervention', 'n2', NULL, NULL, NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour',    'n3', NULL, NULL, NULL)`);
    try {
      expect((await values([{ school: 'S1', years: ['2024/25'], from: '2024-11-01' }])).get('record_id')).toEqual(['b1', 'b2', 'c1', 'i1', 'i2', 'n1', 'n2']);
      expect((await values([{ school: 'S1', years: ['2024/25'] }])).get('record_id')).toEqual(['a2', 'b1', 'b2', 'c1', 'i1', 'i2', 'n1', 'n2', 'n3']);
    } finally {
      await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id IN ('n1', 'n2', 'n3')`);
    }
  });

  it("cuts the school's latest year by term (September–December with the copies, January–March, April–August), its pieces per term at a third of the size", async () => {
    const run = async (query: { sql: string; parameters: readonly unknown[] }) => {
      const prepared = await warehouse.connection.prepare(query.sql);
      prepared.bind(query.parameters as string[]);
      return (await prepared.runAndReadAll()).getRowObjectsJS();
    };
    const line = (r: Record<string, unknown>) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.academic_year} ${r.record_id}`;
    // A's 2024/25 gains a spring and a summer row (1 and 31 March; 1 April is the summer's first day).
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      ('b01', 'S1', 'A', '2024/25', 'behaviour', 's1', '2025-03-31', NULL, NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour', 's2', '2025-04-01', NULL, NULL),
      ('b01', 'S1', 'B', '2024/25', 'behaviour', 's3', '2025-01-06', NULL, NULL)`);
    try {
      const all = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, undefined, undefined, false, '2024/25'))).map(line);
      expect(all).toEqual([
        // 2023/24, not the latest year: cut whole, as before (pieces of 6 rows; a term's, of 2).
        '2023/24|b01 A 2023/24 i2',
        '2023/24|b01 A 2023/24 a1',
        '2023/24|b01 A 2023/24 i1',
        '2023/24|b02 C 2023/24 c1',
        // The autumn: A's copy of i1 (an earlier year's intervention running into this one) and a2
        // (2 rows), so B starts the next piece.
        '2024/25|t1_b01 A 2023/24 i1',
        '2024/25|t1_b01 A 2024/25 a2',
        '2024/25|t1_b01-1 B 2024/25 b1',
        '2024/25|t1_b01-1 B 2024/25 b2',
        // The spring: its own pieces (A 1 row, so B shares A's piece).
        '2024/25|t2_b01 A 2024/25 s1',
        '2024/25|t2_b01 B 2024/25 s3',
        '2024/25|t3_b01 A 2024/25 s2',
      ]);
      // Reading the year from a term on (a rebuild that took the terms before): those terms' rows
      // as the whole query gives them, cut the same; and the members query's parts and pupils.
      for (const fromTerm of [2, 3]) {
        const later = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, { years: ['2024/25'], fromTerm }, undefined, false, '2024/25'))).map(line);
        expect(later).toEqual(all.filter((r) => r.startsWith('2024/25|') && timelinePartTerm(r.split('|')[1].split(' ')[0]) >= fromTerm));
      }
      expect((await run(timelineMembersQuery(COLUMNS, 'S1', 6, '2024/25', ['2024/25']))).map((r) => `${r.part} ${String(r.pupils).split('\u001f').join(',')}`)).toEqual([
        '2024/25|t1_b01 A',
        '2024/25|t1_b01-1 B',
        '2024/25|t2_b01 A,B',
        '2024/25|t3_b01 A',
      ]);
      // The fingerprints name the same parts.
      expect((await run(timelineFingerprintQuery(COLUMNS, 'S1', 6, '2024/25'))).map((r) => `${r.part} ${r.rows}`)).toEqual([
        '2023/24|b01 3', '2023/24|b02 1', '2024/25|t1_b01 2', '2024/25|t1_b01-1 2', '2024/25|t2_b01 2', '2024/25|t3_b01 1',
      ]);
      // A summer row added moves no pupil of the autumn or the spring between pieces, and leaves their rows as they were.
      await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES ('b01', 'S1', 'A', '2024/25', 'behaviour', 's4', '2025-07-01', NULL, NULL), ('b01', 'S1', 'A', '2024/25', 'behaviour', 's5', '2025-07-02', NULL, NULL)`);
      const grown = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, undefined, undefined, false, '2024/25'))).map(line);
      expect(grown.filter((r) => !r.includes('|t3_'))).toEqual(all.filter((r) => !r.includes('|t3_')));
      expect(grown.filter((r) => r.includes('|t3_'))).toEqual(['2024/25|t3_b01 A 2024/25 s2', '2024/25|t3_b01 A 2024/25 s4', '2024/25|t3_b01 A 2024/25 s5']);
    } finally {
      await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id IN ('s1', 's2', 's3', 's4', 's5')`);
    }
    // The terms' days and names.
    expect([1, 2, 3].map((t) => `${termStart('2024/25', t)}–${termEnd('2024/25', t)}`)).toEqual(['2024-09-01–2024-12-31', '2025-01-01–2025-03-31', '2025-04-01–2025-08-31']);
    expect(() => termStart('2024/25', 4)).toThrow(/no term 4/);
    expect([timelinePartTerm('t2_b07-1'), timelinePartTerm('b07-1'), timelinePartTerm('t3_b07')]).toEqual([2, 0, 3]);
    expect([timelinePartFile('t2_b07-1'), timelinePartFile('b07'), timelinePartFile('t1_b63')]).toEqual(['b07', 'b07', 'b63']);
    expect([termPieceRows(1500), termPieceRows(6), termPieceRows(2)]).toEqual([375, 2, 1]);
    expect([monthPieceRows(1500), monthPieceRows(6), monthPieceRows(2)]).toEqual([250, 1, 1]);
  });

  it("cuts the latest year's latest month as a block of its own, from all of the school's pupils in id order, and reads it alone", async () => {
    const run = async (query: { sql: string; parameters: readonly unknown[] }) => {
      const prepared = await warehouse.connection.prepare(query.sql);
      prepared.bind(query.parameters as string[]);
      return (await prepared.runAndReadAll()).getRowObjectsJS();
    };
    const line = (r: Record<string, unknown>) => `${r.part_year}|${r.detail_part} ${r.student_id} ${r.record_id}`;
    // March 2025 is the latest month: rows of A and B (detail file b01) and D (b02), one of them
    // an intervention that starts in March; A and B also have rows before it.
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      ('b01', 'S1', 'A', '2024/25', 'behaviour',    'm1', '2025-03-03', NULL, NULL),
      ('b01', 'S1', 'A', '2024/25', 'behaviour',    'm2', '2025-03-04', NULL, NULL),
      ('b01', 'S1', 'B', '2024/25', 'behaviour',    'm3', '2025-02-03', NULL, NULL),
      ('b01', 'S1', 'B', '2024/25', 'intervention', 'm4', '2025-03-10', NULL, NULL),
      ('b02', 'S1', 'D', '2024/25', 'behaviour',    'm5', '2025-03-12', NULL, NULL),
      ('b02', 'S1', 'D', '2024/25', 'behaviour',    'm6', '2025-03-13', NULL, NULL)`);
    try {
      // The latest year and its latest month's first day, by school (S2's 2023/24 has one October row).
      expect((await run(latestMonthQuery())).map((r) => `${r.school_id} ${r.latest} ${r.month}`)).toEqual(['S1 2024/25 2025-03-01', 'S2 2023/24 2023-10-01']);
      // A year whose last dated row is its first week's, dated by a Monday in August before the
      // year starts: the month is held at the year's first day (S3); a row dated past the year's
      // end, at its last month (S4). S5's latest year has only an intervention: no month.
      await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
        ('b01', 'S3', 'A', '2027/28', 'attendance_week', NULL, '2027-08-30', NULL, NULL),
        ('b01', 'S4', 'A', '2024/25', 'contact', 'x1', '2025-09-02', NULL, NULL),
        ('b01', 'S5', 'A', '2024/25', 'intervention', 'x2', '2025-03-02', NULL, NULL)`);
      try {
        expect((await run(latestMonthQuery())).map((r) => `${r.school_id} ${r.latest} ${r.month}`)).toEqual([
          'S1 2024/25 2025-03-01', 'S2 2023/24 2023-10-01', 'S3 2027/28 2027-09-01', 'S4 2024/25 2025-08-01', 'S5 2024/25 null',
        ]);
        // Cut with that month: the August Monday's row in the first term, as the query cuts it.
        expect((await run(timelinePartsQuery(COLUMNS, 'S3', 6, undefined, undefined, false, '2027/28', '2027-09-01'))).map(line)).toEqual(['2027/28|t1_b01 A null']);
      } finally {
        await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE school_id IN ('S3', 'S4', 'S5')`);
      }
      // Pieces of 6 rows: 2 a term (a quarter, rounded up), 1 for the month (a sixth).
      const all = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, undefined, undefined, false, '2024/25', '2025-03-01'))).map(line);
      expect(all.filter((r) => r.startsWith('2024/25|'))).toEqual([
        '2024/25|t1_b01 A i1',
        '2024/25|t1_b01 A a2',
        '2024/25|t1_b01-1 B b1',
        '2024/25|t1_b01-1 B b2',
        '2024/25|t2_b01 B m3',
        // The month: A (2 rows), B, then D: two detail files, one run of pupils by id, a piece
        // starting where their rows before pass a multiple of 1 (B after 2 rows, D after 3).
        '2024/25|t4_all A m1',
        '2024/25|t4_all A m2',
        '2024/25|t4_all-2 B m4',
        '2024/25|t4_all-3 D m5',
        '2024/25|t4_all-3 D m6',
      ]);
      // Read from the month on (a week's rebuild that took the terms): the same rows, cut the same.
      const month = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, { years: ['2024/25'], fromTerm: 4 }, undefined, false, '2024/25', '2025-03-01'))).map(line);
      expect(month).toEqual(all.filter((r) => r.includes('|t4_')));
      expect(readFrom({ years: ['2024/25'], fromTerm: 4 }, '2024/25', '2025-03-01')).toBe('2025-03-01');
      // From the spring on: January's first day (the month comes after it).
      expect(readFrom({ years: ['2024/25'], fromTerm: 2 }, '2024/25', '2025-03-01')).toBe('2025-01-01');
      const spring = (await run(timelinePartsQuery(COLUMNS, 'S1', 6, { years: ['2024/25'], fromTerm: 2 }, undefined, false, '2024/25', '2025-03-01'))).map(line);
      expect(spring).toEqual(all.filter((r) => r.startsWith('2024/25|') && timelinePartTerm(r.split('|')[1].split(' ')[0]) >= 2));
      // The members and fingerprint queries name the same parts.
      expect((await run(timelineMembersQuery(COLUMNS, 'S1', 6, '2024/25', ['2024/25'], '2025-03-01'))).map((r) => `${r.part} ${String(r.pupils).split('\u001f').join(',')}`)).toEqual([
        '2024/25|t1_b01 A', '2024/25|t1_b01-1 B', '2024/25|t2_b01 B', '2024/25|t4_all A', '2024/25|t4_all-2 B', '2024/25|t4_all-3 D',
      ]);
      expect((await run(timelineFingerprintQuery(COLUMNS, 'S1', 6, '2024/25', '2025-03-01'))).map((r) => `${r.part} ${r.rows}`).filter((p) => p.startsWith('2024/25'))).toEqual([
        '2024/25|t1_b01 2', '2024/25|t1_b01-1 2', '2024/25|t2_b01 1', '2024/25|t4_all 2', '2024/25|t4_all-2 1', '2024/25|t4_all-3 2',
      ]);
      expect([timelinePartTerm('t4_all-1'), timelinePartFile('t4_all-1'), timelinePartFile('t4_all')]).toEqual([4, 'all', 'all']);
      // A month that is not the first of a month of the latest year is refused.
      expect(() => timelinePartsQuery(COLUMNS, 'S1', 6, undefined, undefined, false, '2024/25', '2025-03-02')).toThrow(/first of a month/);
      expect(() => timelinePartsQuery(COLUMNS, 'S1', 6, undefined, undefined, false, '2024/25', '2025-09-01')).toThrow(/first of a month/);
    } finally {
      await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id IN ('m1', 'm2', 'm3', 'm4', 'm5', 'm6')`);
    }
    // The blocks' days: a term ends where the month starts, if it does first; a term after the
    // month is empty (it ends before the blocks from it on start, on the month's first day).
    expect([1, 2, 3, 4].map((b) => `${blocksFrom('2024/25', b, '2025-03-01')}–${blockEnd('2024/25', b, '2025-03-01')}`)).toEqual([
      '2024-09-01–2024-12-31', '2025-01-01–2025-02-28', '2025-03-01–2025-02-28', '2025-03-01–2025-08-31',
    ]);
    expect([1, 2, 3, 4].map((b) => blockEnd('2024/25', b, null))).toEqual(['2024-12-31', '2025-03-31', '2025-08-31', '2025-08-31']);
    // With no latest month, its block is empty: read from after the year, no row of it.
    expect(blocksFrom('2024/25', 4, null)).toBe('2025-09-01');
    expect(readFrom({ years: ['2024/25'], fromTerm: 4 }, '2024/25', null)).toBe('2025-09-01');
  });

  it('reads several schools in one query, each cut as it is alone, a pupil being a school and an id', async () => {
    const run = async (query: { sql: string; parameters: readonly unknown[] }) => {
      const prepared = await warehouse.connection.prepare(query.sql);
      prepared.bind(query.parameters as string[]);
      return (await prepared.runAndReadAll()).getRowObjectsJS();
    };
    // The school as the query names it (its number in the list, from 1), with the row's own school.
    const line = (r: Record<string, unknown>) => `${r.part_school}|${r.part_year}|${r.detail_part} ${r.school_id} ${r.student_id} ${r.academic_year} ${r.record_id}`;
    // S2 has pupils of S1's ids (A, B) in the same detail file and years: had the cut or the copies
    // gone by id alone, S1's A would gain S2's rows, or share its pieces.
    await warehouse.connection.run(`INSERT INTO mart_pupil_timeline VALUES
      ('b01', 'S2', 'A', '2024/25', 'behaviour',    'z2', '2024-10-05', NULL,         NULL),
      ('b01', 'S2', 'A', '2023/24', 'intervention', 'z3', '2024-05-01', '2024-10-31', NULL),
      ('b01', 'S2', 'B', '2024/25', 'behaviour',    'z4', '2025-05-01', NULL,         NULL),
      ('b01', 'S2', 'B', '2024/25', 'behaviour',    'z5', '2025-05-02', NULL,         NULL)`);
    try {
      for (const only of [undefined, { years: ['2024/25'] }, { years: ['2024/25'], fromTerm: 3 }]) {
        const both = (await run(timelinePartsQuery(COLUMNS, ['S1', 'S2'], 2, only, undefined, true, '2024/25'))).map(line);
        const alone = [
          ...(await run(timelinePartsQuery(COLUMNS, 'S1', 2, only, undefined, true, '2024/25'))).map(line),
          // S2 is school 1 of its own query, school 2 of the pair's.
          ...(await run(timelinePartsQuery(COLUMNS, 'S2', 2, only, undefined, true, '2024/25'))).map(line).map((l) => l.replace(/^1\|/, '2|')),
        ];
        expect(both).toEqual(alone);
        // The rows' hashes too (the parts' fingerprints), each row as read alone.
        const hashes = async (schools: string | string[]) => (await run(timelinePartsQuery(COLUMNS, schools, 2, only, undefined, true, '2024/25'))).map((r) => String(r.row_hash));
        expect(await hashes(['S1', 'S2'])).toEqual([...(await hashes('S1')), ...(await hashes('S2'))]);
      }
      const all = (await run(timelinePartsQuery(COLUMNS, ['S1', 'S2'], 2, undefined, undefined, false, '2024/25'))).map(line);
      // S2's A: its own rows and its own intervention's copy (z3 runs into 2024/25), none of S1's A's.
      expect(all.filter((r) => r.startsWith('2|'))).toEqual([
        '2|2023/24|b01 S2 A 2023/24 z1',
        '2|2023/24|b01 S2 A 2023/24 z3',
        '2|2024/25|t1_b01 S2 A 2023/24 z3',
        '2|2024/25|t1_b01 S2 A 2024/25 z2',
        '2|2024/25|t3_b01 S2 B 2024/25 z4',
        '2|2024/25|t3_b01 S2 B 2024/25 z5',
      ]);
      expect(all.every((r) => r.startsWith(`${r.split(' ')[1] === 'S1' ? 1 : 2}|`))).toBe(true);
      expect(queriedTimelinePart([2, '2024/25', 't3_b01'], ['S1', 'S2'])).toEqual({ school: 'S2', part: '2024/25|t3_b01' });
      expect(queriedTimelinePart([1, '2024/25', 'b01'], 'S1')).toEqual({ school: 'S1', part: '2024/25|b01' });
      expect(() => queriedTimelinePart(['2024/25', 't3_b01'], 'S1')).toThrow(/school, academic year and detail part/);
      expect(() => queriedTimelinePart([3, '2024/25', 't3_b01'], ['S1', 'S2'])).toThrow(/school number 3 of 2/);
      expect(() => timelinePartsQuery(COLUMNS, [], 2)).toThrow(/at least one school/);
    } finally {
      await warehouse.connection.run(`DELETE FROM mart_pupil_timeline WHERE record_id IN ('z2', 'z3', 'z4', 'z5')`);
    }
  });

  it('plans one query a school read whole or by parts named, and shares the schools read alike among at most so many queries', () => {
    const latestOf = new Map([['S1', '2024/25'], ['S2', '2024/25'], ['S3', '2024/25'], ['S4', '2023/24'], ['S5', '2024/25'], ['S6', '2024/25'], ['S7', '2024/25']]);
    const term3 = { years: ['2024/25'], fromTerm: 3 };
    const plans = timelineQueryPlans([
      { school: 'S1', only: term3 },
      { school: 'S2' },
      { school: 'S3', only: { years: ['2024/25'], fromTerm: 3 } },
      { school: 'S4', only: { years: ['2023/24'], fromTerm: 3 } },
      { school: 'S5', only: ['2024/25|b01'] },
      { school: 'S6', only: term3 },
      { school: 'S7', only: { years: ['2024/25'], fromTerm: 2 } },
    ], latestOf, 2);
    expect(plans.map((p) => `${p.schools.join(',')} ${JSON.stringify(p.only ?? null)} ${p.latest}`)).toEqual([
      'S2 null 2024/25',
      'S5 ["2024/25|b01"] 2024/25',
      // S1, S3 and S6 read alike (from term 3 of their latest year 2024/25): two queries at most.
      `S1 ${JSON.stringify(term3)} 2024/25`,
      `S3,S6 ${JSON.stringify(term3)} 2024/25`,
      // S4's latest year is another; S7 reads from another term.
      'S4 {"years":["2023/24"],"fromTerm":3} 2023/24',
      'S7 {"years":["2024/25"],"fromTerm":2} 2024/25',
    ]);
    // Each school read exactly once, however many queries.
    for (const groups of [1, 3, 10]) {
      const schools = timelineQueryPlans([...latestOf.keys()].map((school) => ({ school, only: { years: [latestOf.get(school) as string] } })), latestOf, groups).flatMap((p) => p.schools);
      expect(schools.sort()).toEqual([...latestOf.keys()].sort());
    }
    expect(timelineQueryPlans([...latestOf.keys()].filter((s) => s !== 'S4').map((school) => ({ school, only: term3 })), latestOf, 4).map((p) => p.schools.length)).toEqual([1, 2, 1, 2]);
    expect(() => timelineQueryPlans([], latestOf, 0)).toThrow(/positive integer/);
  });

  it('names a part academic_year|detail_part', () => {
    expect(splitTimelinePart('2024/25|b01-1')).toEqual({ academic_year: '2024/25', detail_part: 'b01-1' });
    expect(() => splitTimelinePart('b01')).toThrow(/academic_year\|detail_part/);
    expect(() => timelinePartsQuery(COLUMNS, 'S1', 0)).toThrow(/positive integer/);
  });
});
