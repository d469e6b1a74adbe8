import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels } from '../../src/models/model-files.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';
import { registers, weekdays, writeSchool, type SchoolFiles } from '../helpers/school-builder.ts';

/*
 * A placement that looks forward across a year end. School days: 2 Jun – 18 Jul 2025 (2024/25,
 * 35 days: 18 Jul is day 35) and 15 Sep – 3 Oct 2025 (2025/26: 15 Sep is day 36, 29 Sep day 46).
 *   B: 18 Jul 2025, then (in the new week only) 29 Sep 2025: 46 − 35 = 11 school days later,
 *      within the 20-day window: a repeat. The July row (last year) gains its next placement.
 *   A: 2 Jun and 4 Jun 2025 (2 school days apart: a repeat), nothing this year.
 * The first run sees the exports up to 26 Sep; the second adds the week of 29 Sep, which touches
 * 2025/26 alone. The placements are updated by partition; mart_bsc_referrals, whose rows look
 * forward, is rebuilt whole, so last year's row shows the new next placement; and every model
 * equals a full build of the same exports.
 */
const days = [...weekdays('2025-06-02', '2025-07-18'), ...weekdays('2025-09-15', '2025-10-03')];
const placement = (id: string, student: string, date: string) => ({
  referral_id: id, student_id: student, date, reason: 'Disruption', booklet: 'completed', conduct: 'good', outcome: 'completed', parent_contacted: 'N',
});
function exportsUpTo(last: string): SchoolFiles {
  const upTo = days.filter((d) => d <= last);
  return {
    students: [{ student_id: 'A', year_group: 9 }, { student_id: 'B', year_group: 10 }],
    attendance: registers(['A', 'B'], upTo),
    bsc: [placement('A1', 'A', '2025-06-02'), placement('A2', 'A', '2025-06-04'), placement('B1', 'B', '2025-07-18'), placement('B2', 'B', '2025-09-29')].filter(
      (p) => p.date <= last,
    ),
  };
}

async function imported(warehouse: Warehouse, files: SchoolFiles): Promise<void> {
  const report = await ingest(warehouse.connection, [writeSchool(files)]);
  expect(report.files.flatMap((f) => f.rejects)).toEqual([]);
  expect(report.stopped).toEqual([]);
}

describe('the BSC models across a year end, refreshed by partition', () => {
  let incremental: Warehouse;
  let reference: Warehouse;
  let week: ModelRunReport;
  beforeAll(async () => {
    incremental = await openTempWarehouse();
    await imported(incremental, exportsUpTo('2025-09-26'));
    await runModels(incremental.connection);
    await imported(incremental, exportsUpTo('2025-10-03'));
    week = await runModels(incremental.connection);
    reference = await openTempWarehouse();
    await imported(reference, exportsUpTo('2025-10-03'));
    await runModels(reference.connection, { full: true });
  }, 300_000);
  afterAll(() => {
    incremental?.close();
    reference?.close();
  });

  it('updates the backward-looking models by partition and rebuilds the forward-looking referrals whole', () => {
    expect(week.fullReason).toBeNull();
    expect(week.touched).toEqual({ school: ['2025/26'] });
    expect(week.modes).toMatchObject({
      int_bsc_placements: 'partitions',
      int_watchlist_signals: 'partitions',
      mart_watchlist: 'partitions',
      mart_bsc_register: 'partitions',
      mart_weekly_review: 'partitions',
      mart_bsc_referrals: 'full',
    });
  });

  it("gives last year's placement its next placement, found this year", async () => {
    const result = await queryRows(
      incremental.connection,
      `SELECT referral_id, academic_year, placement_number, pupil_placements_total, school_days_since_previous, is_repeat,
         next_date::VARCHAR AS next_date, school_days_to_next, referred_again_within_window
       FROM mart_bsc_referrals ORDER BY referral_id`,
    );
    expect(result).toEqual([
      { referral_id: 'A1', academic_year: '2024/25', placement_number: 1, pupil_placements_total: 2, school_days_since_previous: null, is_repeat: false, next_date: '2025-06-04', school_days_to_next: 2, referred_again_within_window: true },
      { referral_id: 'A2', academic_year: '2024/25', placement_number: 2, pupil_placements_total: 2, school_days_since_previous: 2, is_repeat: true, next_date: null, school_days_to_next: null, referred_again_within_window: false },
      { referral_id: 'B1', academic_year: '2024/25', placement_number: 1, pupil_placements_total: 2, school_days_since_previous: null, is_repeat: false, next_date: '2025-09-29', school_days_to_next: 11, referred_again_within_window: true },
      { referral_id: 'B2', academic_year: '2025/26', placement_number: 2, pupil_placements_total: 2, school_days_since_previous: 11, is_repeat: true, next_date: null, school_days_to_next: null, referred_again_within_window: false },
    ]);
  });

  it('gives every model a full build gives, row for row', async () => {
    const names = readModels().map((m) => m.name);
    const same = await compareWarehouses(incremental.connection, reference.path, { names });
    expect(same.compared).toHaveLength(names.length);
    expect(same.differences).toEqual([]);
  });
});
