// Persistent and severe absence are written once, as macros (sql/macros/attendance.sql), and
// every model that flags a pupil calls them. Hand-computed edges: 9 absent of 90 possible
// sessions is exactly 10% (persistent); 8 of 90 is 8.9% (not); 45 of 90 is exactly 50% (severe).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const SQL = fileURLToPath(new URL('../../sql/', import.meta.url));

describe('absence thresholds (macros)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await warehouse.connection.run(readFileSync(path.join(SQL, 'macros', 'attendance.sql'), 'utf-8'));
  });
  afterAll(() => warehouse?.close());

  it('flag persistent absence at 10% and severe at 50% of possible sessions, inclusive', async () => {
    const [r] = await queryRows(
      warehouse.connection,
      `SELECT is_persistently_absent(9, 90) AS pa_at_10, is_persistently_absent(8, 90) AS pa_below,
              is_persistently_absent(1, 10) AS pa_one_in_ten, is_severely_absent(45, 90) AS sa_at_50,
              is_severely_absent(44, 90) AS sa_below, is_persistently_absent(0, 0) AS pa_no_sessions`,
    );
    expect(r).toEqual({ pa_at_10: true, pa_below: false, pa_one_in_ten: true, sa_at_50: true, sa_below: false, pa_no_sessions: true });
    // From attending and possible sessions: 81 of 90 attended = 10% absent; no possible session: no flag either way.
    const [so] = await queryRows(
      warehouse.connection,
      `SELECT persistently_absent_so_far(81, 90) AS pa_at_10, persistently_absent_so_far(82, 90) AS pa_below, persistently_absent_so_far(0, 0) AS pa_none,
              severely_absent_so_far(45, 90) AS sa_at_50, severely_absent_so_far(46, 90) AS sa_below, severely_absent_so_far(0, 0) AS sa_none`,
    );
    expect(so).toEqual({ pa_at_10: true, pa_below: false, pa_none: null, sa_at_50: true, sa_below: false, sa_none: null });
  });

  it('band attendance at 96, 93 and 90% (lower edges inclusive), the at-risk band being 90–92.9%, and the penalty threshold at 10 sessions', async () => {
    const [r] = await queryRows(
      warehouse.connection,
      `SELECT attendance_band(100) AS b100, attendance_band(96) AS b96, attendance_band(95.99) AS b95, attendance_band(93) AS b93,
              attendance_band(92.99) AS b92, attendance_band(90) AS b90, attendance_band(89.99) AS b89, attendance_band(NULL) AS none,
              is_at_risk_band(93) AS risk93, is_at_risk_band(92.99) AS risk92, is_at_risk_band(90) AS risk90, is_at_risk_band(89.99) AS risk89,
              at_penalty_threshold(9) AS pen9, at_penalty_threshold(10) AS pen10`,
    );
    expect(r).toEqual({
      b100: 'green', b96: 'green', b95: 'amber', b93: 'amber', b92: 'amber/red', b90: 'amber/red', b89: 'red', none: null,
      risk93: false, risk92: true, risk90: true, risk89: false, pen9: false, pen10: true,
    });
  });

  it('give attendance % as attending ÷ possible sessions × 100, unrounded, and none without a possible session', async () => {
    const [r] = await queryRows(
      warehouse.connection,
      `SELECT attendance_pct(81, 90) AS exactly_90, attendance_pct(2, 3) AS two_thirds, attendance_pct(0, 10) AS none_attended, attendance_pct(0, 0) AS no_sessions`,
    );
    expect(r).toEqual({ exactly_90: 90, two_thirds: 200 / 3, none_attended: 0, no_sessions: null });
  });

  it('are the only place the models write attendance %', () => {
    // int_intervention_matches belongs to the intervention-impact chain, left to its own work.
    const models = ['staging', 'intermediate', 'marts'].flatMap((dir) =>
      readdirSync(path.join(SQL, dir)).filter((f) => f.endsWith('.sql') && f !== 'int_intervention_matches.sql').map((f) => path.join(dir, f)),
    );
    const formula = /100(\.0)?\s*\*\s*[\w.]*attending/i;
    expect(models.filter((f) => formula.test(readFileSync(path.join(SQL, f), 'utf-8').replace(/--.*$/gm, '')))).toEqual([]);
  });

  it('are the only place the models write the bands and the penalty threshold', () => {
    const models = ['staging', 'intermediate', 'marts'].flatMap((dir) =>
      readdirSync(path.join(SQL, dir)).filter((f) => f.endsWith('.sql')).map((f) => path.join(dir, f)),
    );
    // A band's edge compared with anything (an attendance figure or a ratio of sessions), or 10
    // unauthorised sessions compared, outside comments.
    const band = /[<>]=?\s*(96|93|90)\b/;
    const penalty = /unauthorised\w*\)?\s*>=\s*10\b/i;
    const code = (f: string) => readFileSync(path.join(SQL, f), 'utf-8').replace(/--.*$/gm, '');
    expect(models.filter((f) => band.test(code(f)) || penalty.test(code(f)))).toEqual([]);
  });

  it('are the only place the models write the 10% and 50% thresholds', () => {
    const models = ['staging', 'intermediate', 'marts'].flatMap((dir) =>
      readdirSync(path.join(SQL, dir)).filter((f) => f.endsWith('.sql')).map((f) => path.join(dir, f)),
    );
    const written = models.filter((f) => /\b0?\.[15]0?\s*\*\s*[\w.]*possible/i.test(readFileSync(path.join(SQL, f), 'utf-8')));
    expect(written).toEqual([]);
  });
});
