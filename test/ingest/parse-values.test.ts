import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExpression } from '../../data-loaders/column-sql.ts';
import type { ColumnSpec, ColumnType } from '../../data-loaders/contract.ts';
import { literal } from '../../src/warehouse/warehouse.ts';

let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});

async function parse(type: ColumnType, value: string, extra: Partial<ColumnSpec> = {}): Promise<string | null> {
  const expr = parseExpression({ name: 'x', type, ...extra }, literal(value));
  const reader = await connection.runAndReadAll(`SELECT (${expr})::VARCHAR AS p`);
  return reader.getRowObjectsJS()[0].p as string | null;
}

describe('values as exports write them', () => {
  it.each([
    ['2025-09-03', '2025-09-03'],
    ['03/09/2025', '2025-09-03'],
    ['3/9/25', '2025-09-03'],
    ['3/9/2025', '2025-09-03'],
    ['09/03/25', '2025-03-09'], // day first, always
    ['2025-09-03 14:05', '2025-09-03'],
    ['5 Sep 2025', '2025-09-05'],
    ['5 Sept 2025', '2025-09-05'], // en-GB's short month
    ['5 september 2025', '2025-09-05'],
    ['5 Sept 2025 14:05', '2025-09-05'],
    ['5 Septx 2025', null],
    ['31/02/2025', null],
    ['09-03-2025', '2025-03-09'],
    ['yesterday', null],
  ])('date %s → %s', async (value, expected) => {
    expect(await parse('date', value)).toBe(expected);
  });

  it.each([
    ['2025-09-03 14:05', '2025-09-03 14:05:00'],
    ['03/09/2025 9:05:30', '2025-09-03 09:05:30'],
    // 14:05 UTC on 3 September is 15:05 in school (BST); without a zone the time is kept.
    ['2025-09-03T14:05:00.000Z', '2025-09-03 15:05:00'],
    ['2025-09-03T14:05:00', '2025-09-03 14:05:00'],
    ['3/9/25', '2025-09-03 00:00:00'],
    ['bad 14:00', null],
  ])('date-time %s → %s', async (value, expected) => {
    expect(await parse('datetime', value)).toBe(expected);
  });

  it.each([
    ['Year 9', '9'],
    ['Y10', '10'],
    ['yr 7', '7'],
    ['11', '11'],
    ['NC Year 8', '8'],
    ['Reception', null],
  ])('year group %s → %s', async (value, expected) => {
    expect(await parse('year_group', value)).toBe(expected);
  });

  it.each([
    ['Y', 'true'],
    ['yes', 'true'],
    ['TRUE', 'true'],
    ['1', 'true'],
    ['N', 'false'],
    ['No', 'false'],
    ['0', 'false'],
    ['maybe', null],
  ])('boolean %s → %s', async (value, expected) => {
    expect(await parse('boolean', value)).toBe(expected);
  });

  it.each([
    ['2025/26', '2025/26'],
    ['2025-26', '2025/26'],
    ['2025/2026', '2025/26'],
    ['25/26', null],
  ])('academic year %s → %s', async (value, expected) => {
    expect(await parse('academic_year', value)).toBe(expected);
  });

  it.each([
    ['/', '/'],
    ['\\', '\\'],
    ['l', 'L'],
    ['J1', 'J1'],
    ['H', 'H'], // retired, still read
    ['ZZ', null],
  ])('attendance code %s → %s', async (value, expected) => {
    expect(await parse('attendance_code', value)).toBe(expected);
  });

  it.each([
    ['AM', 'AM'],
    ['pm', 'PM'],
    ['MORNING', 'AM'],
    ['AFTERNOON', 'PM'],
    ['noon', null],
  ])('session %s → %s', async (value, expected) => {
    expect(await parse('session', value)).toBe(expected);
  });
});
