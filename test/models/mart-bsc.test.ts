import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../src/models/run-models.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * School days 8 Sep – 28 Nov 2025 with half-term 27–31 Oct: day numbers 1–55
 * (9 Sep = 2, 10 Sep = 3, 23 Sep = 12, 24 Oct = 35, 3 Nov = 36, 20 Nov = 49, 28 Nov = 55).
 *   A: 9 Sep, 23 Sep (10 school days later: repeat), 24 Oct (23: not within 20),
 *      3 Nov (1 school day later, across the half-term: repeat). Last one censored at 55 − 36 = 19.
 *   B: one placement on the last day of data: censored after 0 days.
 *   C: 10 Sep and 20 Nov (46 days: not a repeat); the second censored at 6.
 * Repeat rate: 1 of 3 pupils placed was placed again within 20 school days = 33.3%.
 * Median days to re-referral over placements that had one: 1, 10, 23, 46 → 16.5.
 * How placements went, as whole-number shares of the 7 placements: booklet completed 5 (71%),
 *   partial 1 (14%), not completed 1 (14%), not recorded 0 (0%); conduct good 5 (71%), poor 1 (A2, 14%),
 *   not recorded 1 (B1 left blank, 14%); outcome completed 6 (6/7 = 85.7 → 86%), escalated 1 (14%).
 *   Year 8 (C's 2 placements, all completed/good/completed): 100% each.
 * Parent contact follow-up: A1 (flag), A2 (K1 next day), A4 (K2 two days later), C2 (date-time) = 4 of 7.
 * Kaplan–Meier (time, event): 0 C, 1 E, 6 C, 10 E, 19 C, 23 E, 46 E; at risk 7, 6, 5, 4, 3, 2, 1
 *   S = 1, 5/6, 5/6, 5/6 × 3/4 = 0.625, 0.625, 0.625 × 1/2 = 0.3125, 0.
 */
describe('mart_bsc_referrals, mart_bsc_repeat and the re-referral curve', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const days = weekdays('2025-09-08', '2025-11-28', weekdays('2025-10-27', '2025-10-31'));
    const bsc = (id: string, student: string, date: string, extra: Record<string, string> = {}) => ({
      referral_id: id, student_id: student, date, booklet: 'completed', conduct: 'good', outcome: 'completed', parent_contacted: 'N', reintegration_date: '', ...extra,
    });
    warehouse = await modelledSchool({
      students: ['A', 'B', 'C'].map((id) => ({ student_id: id, year_group: id === 'C' ? 8 : 9 })),
      attendance: registers(['A', 'B', 'C'], days),
      bsc: [
        bsc('A1', 'A', '2025-09-09', { parent_contacted: 'Y', reintegration_date: '2025-09-10' }),
        bsc('A2', 'A', '2025-09-23', { booklet: 'partial', conduct: 'poor' }),
        bsc('A3', 'A', '2025-10-24', { booklet: 'not completed', outcome: 'escalated' }),
        bsc('A4', 'A', '2025-11-03'),
        bsc('B1', 'B', '2025-11-28', { conduct: '' }),
        bsc('C1', 'C', '2025-09-10'),
        bsc('C2', 'C', '2025-11-20', { parent_contacted: '2025-11-20 15:30' }),
      ],
      contacts: [
        // the next school day after A2: counts as parent contact and (by its reason) reintegration
        { contact_id: 'K1', student_id: 'A', date: '2025-09-24', method: 'meeting', reason: 'Reintegration meeting' },
        // 3 school days after A3 (too late for it) but 2 after A4 (follows A4 up)
        { contact_id: 'K2', student_id: 'A', date: '2025-11-05', method: 'phone', reason: 'Behaviour' },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('links each placement to the previous and next, counting school days only', async () => {
    const result = await rows(
      warehouse,
      `SELECT referral_id, placement_number, school_days_since_previous, is_repeat, school_days_to_next, referred_again_within_window,
         followup_school_days, followup_ended_by_rereferral, followed_by_parent_contact, followed_by_reintegration
       FROM mart_bsc_referrals ORDER BY referral_id`,
    );
    expect(result).toEqual([
      { referral_id: 'A1', placement_number: 1, school_days_since_previous: null, is_repeat: false, school_days_to_next: 10, referred_again_within_window: true, followup_school_days: 10, followup_ended_by_rereferral: true, followed_by_parent_contact: true, followed_by_reintegration: true },
      { referral_id: 'A2', placement_number: 2, school_days_since_previous: 10, is_repeat: true, school_days_to_next: 23, referred_again_within_window: false, followup_school_days: 23, followup_ended_by_rereferral: true, followed_by_parent_contact: true, followed_by_reintegration: true },
      { referral_id: 'A3', placement_number: 3, school_days_since_previous: 23, is_repeat: false, school_days_to_next: 1, referred_again_within_window: true, followup_school_days: 1, followup_ended_by_rereferral: true, followed_by_parent_contact: false, followed_by_reintegration: false },
      { referral_id: 'A4', placement_number: 4, school_days_since_previous: 1, is_repeat: true, school_days_to_next: null, referred_again_within_window: false, followup_school_days: 19, followup_ended_by_rereferral: false, followed_by_parent_contact: true, followed_by_reintegration: false },
      { referral_id: 'B1', placement_number: 1, school_days_since_previous: null, is_repeat: false, school_days_to_next: null, referred_again_within_window: false, followup_school_days: 0, followup_ended_by_rereferral: false, followed_by_parent_contact: false, followed_by_reintegration: false },
      { referral_id: 'C1', placement_number: 1, school_days_since_previous: null, is_repeat: false, school_days_to_next: 46, referred_again_within_window: false, followup_school_days: 46, followup_ended_by_rereferral: true, followed_by_parent_contact: false, followed_by_reintegration: false },
      { referral_id: 'C2', placement_number: 2, school_days_since_previous: 46, is_repeat: false, school_days_to_next: null, referred_again_within_window: false, followup_school_days: 6, followup_ended_by_rereferral: false, followed_by_parent_contact: true, followed_by_reintegration: false },
    ]);
  });

  it('summarises repeats for the whole school and year', async () => {
    const [all] = await rows(
      warehouse,
      `SELECT placements, pupils_placed, pupils_referred_again, repeat_placements, repeat_rate_pct, median_school_days_to_rereferral,
         booklet_completed, booklet_partial, booklet_not_completed, booklet_completed_pct, outcome_escalated,
         followed_by_parent_contact, parent_contact_pct, repeat_referral_window_days, placements_not_followed_up
       FROM mart_bsc_repeat WHERE term = 'All' AND year_group = 0`,
    );
    expect(all).toEqual({
      placements: 7, pupils_placed: 3, pupils_referred_again: 1, repeat_placements: 2, repeat_rate_pct: 33.3,
      median_school_days_to_rereferral: 16.5, booklet_completed: 5, booklet_partial: 1, booklet_not_completed: 1,
      booklet_completed_pct: 71.4, outcome_escalated: 1, followed_by_parent_contact: 4, parent_contact_pct: 57.1,
      repeat_referral_window_days: 20,
      // no parent contact or no reintegration: A3, A4, B1, C1, C2 (A1 and A2 have both)
      placements_not_followed_up: 5,
    });
    const byYear = await rows(warehouse, "SELECT year_group, placements, pupils_placed FROM mart_bsc_repeat WHERE term = 'All' AND year_group > 0 ORDER BY 1");
    expect(byYear).toEqual([{ year_group: 8, placements: 2, pupils_placed: 1 }, { year_group: 9, placements: 5, pupils_placed: 2 }]);
  });

  it('counts how placements went per recorded value and not recorded, as shares of all placements', async () => {
    const [all] = await rows(
      warehouse,
      `SELECT COLUMNS('^(booklet|conduct|outcome)_.*(share_pct|recorded)$|^(conduct_good|conduct_poor|conduct_satisfactory|outcome_completed|outcome_escalated)$')
       FROM mart_bsc_repeat WHERE term = 'All' AND year_group = 0`,
    );
    expect(all).toEqual({
      booklet_not_recorded: 0, conduct_good: 5, conduct_satisfactory: 0, conduct_poor: 1, conduct_not_recorded: 1,
      outcome_completed: 6, outcome_escalated: 1, outcome_not_recorded: 0,
      booklet_completed_share_pct: 71, booklet_partial_share_pct: 14, booklet_not_completed_share_pct: 14, booklet_not_recorded_share_pct: 0,
      conduct_good_share_pct: 71, conduct_satisfactory_share_pct: 0, conduct_poor_share_pct: 14, conduct_not_recorded_share_pct: 14,
      outcome_completed_share_pct: 86, outcome_extended_share_pct: 0, outcome_escalated_share_pct: 14, outcome_sent_home_share_pct: 0,
      outcome_suspended_share_pct: 0, outcome_not_recorded_share_pct: 0,
    });
    const [year8] = await rows(
      warehouse,
      "SELECT placements, booklet_completed_share_pct, conduct_good_share_pct, outcome_completed_share_pct, conduct_not_recorded_share_pct FROM mart_bsc_repeat WHERE term = 'All' AND year_group = 8",
    );
    expect(year8).toEqual({ placements: 2, booklet_completed_share_pct: 100, conduct_good_share_pct: 100, outcome_completed_share_pct: 100, conduct_not_recorded_share_pct: 0 });
  });

  it('counts placements per school week and year group, leaving weeks with none out', async () => {
    // w/c 8 Sep: A1 (Year 9) and C1 (Year 8); then one a week: A2, A3, A4 (Year 9), C2 (Year 8), B1 (Year 9).
    const weeks = await rows(warehouse, "SELECT term, strftime(week_start, '%Y-%m-%d') AS week, year_group, placements, first_placed FROM mart_bsc_weekly ORDER BY week_start, year_group");
    expect(weeks).toEqual([
      { term: 'Autumn', week: '2025-09-08', year_group: 8, placements: 1, first_placed: '2025-09-10 C1' },
      { term: 'Autumn', week: '2025-09-08', year_group: 9, placements: 1, first_placed: '2025-09-09 A1' },
      { term: 'Autumn', week: '2025-09-22', year_group: 9, placements: 1, first_placed: '2025-09-23 A2' },
      { term: 'Autumn', week: '2025-10-20', year_group: 9, placements: 1, first_placed: '2025-10-24 A3' },
      { term: 'Autumn', week: '2025-11-03', year_group: 9, placements: 1, first_placed: '2025-11-03 A4' },
      { term: 'Autumn', week: '2025-11-17', year_group: 8, placements: 1, first_placed: '2025-11-20 C2' },
      { term: 'Autumn', week: '2025-11-24', year_group: 9, placements: 1, first_placed: '2025-11-28 B1' },
    ]);
  });

  it('lists the pupils placed two or more times, with repeats and every gap, most placements first', async () => {
    // A: 4 placements, A2 and A4 repeats, gaps 10, 23, 1; C: 2 placements, gap 46, no repeat; B once: not listed.
    const pupils = await rows(
      warehouse,
      `SELECT term, year_group, student_id, placements, repeats, gaps, strftime(first_date, '%Y-%m-%d') AS first, strftime(last_date, '%Y-%m-%d') AS last,
         last_year_group, last_reason, pupil_order, pupils_listed
       FROM mart_bsc_repeat_pupils WHERE term IN ('All', 'Autumn') ORDER BY term, year_group, pupil_order`,
    );
    const a = { student_id: 'A', placements: 4, repeats: 2, gaps: [10, 23, 1], first: '2025-09-09', last: '2025-11-03', last_year_group: 9, last_reason: null };
    const c = { student_id: 'C', placements: 2, repeats: 0, gaps: [46], first: '2025-09-10', last: '2025-11-20', last_year_group: 8, last_reason: null };
    expect(pupils).toEqual(['All', 'Autumn'].flatMap((term) => [
      { term, year_group: 0, ...a, pupil_order: 1, pupils_listed: 2 },
      { term, year_group: 0, ...c, pupil_order: 2, pupils_listed: 2 },
      { term, year_group: 8, ...c, pupil_order: 1, pupils_listed: 1 },
      { term, year_group: 9, ...a, pupil_order: 1, pupils_listed: 1 },
    ]));
  });

  it('draws the Kaplan–Meier curve with censoring at the end of the data', async () => {
    const curve = await rows(warehouse, 'SELECT school_days, at_risk, rereferrals, censored, share_not_rereferred FROM mart_bsc_rereferral_curve ORDER BY school_days');
    expect(curve).toEqual([
      { school_days: 0, at_risk: 7, rereferrals: 0, censored: 1, share_not_rereferred: 1 },
      { school_days: 1, at_risk: 6, rereferrals: 1, censored: 0, share_not_rereferred: 0.8333 },
      { school_days: 6, at_risk: 5, rereferrals: 0, censored: 1, share_not_rereferred: 0.8333 },
      { school_days: 10, at_risk: 4, rereferrals: 1, censored: 0, share_not_rereferred: 0.625 },
      { school_days: 19, at_risk: 3, rereferrals: 0, censored: 1, share_not_rereferred: 0.625 },
      { school_days: 23, at_risk: 2, rereferrals: 1, censored: 0, share_not_rereferred: 0.3125 },
      { school_days: 46, at_risk: 1, rereferrals: 1, censored: 0, share_not_rereferred: 0 },
    ]);
  });

  it('uses the configured repeat window', async () => {
    await runModels(warehouse.connection, { settings: { repeatReferralWindowDays: 25 } });
    const repeats = await rows(warehouse, 'SELECT referral_id FROM mart_bsc_referrals WHERE is_repeat ORDER BY 1');
    expect(repeats).toEqual([{ referral_id: 'A2' }, { referral_id: 'A3' }, { referral_id: 'A4' }]);
  });
});

/*
 * Follow-up by a contact on a day without marks. School days Mon 8 – Fri 19 Sep 2025.
 *   D placed Fri 12 Sep (school day 5); a phone call home Sat 13 Sep and a reintegration meeting
 *   Sun 14 Sep: no school days have passed (each takes Monday's number, 6, within 2 and 5 of 5),
 *   so the placement was followed by both.
 *   E placed Mon 15 Sep (6); a call Sun 14 Sep, the day before: not a follow-up, though Sunday
 *   takes Monday's number.
 */
describe('mart_bsc_referrals: follow-up contacts on weekends', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const bsc = (id: string, student: string, date: string) => ({ referral_id: id, student_id: student, date, parent_contacted: 'N', reintegration_date: '' });
    warehouse = await modelledSchool({
      students: ['D', 'E'].map((id) => ({ student_id: id, year_group: 9 })),
      attendance: registers(['D', 'E'], weekdays('2025-09-08', '2025-09-19')),
      bsc: [bsc('D1', 'D', '2025-09-12'), bsc('E1', 'E', '2025-09-15')],
      contacts: [
        { contact_id: 'K1', student_id: 'D', date: '2025-09-13', method: 'phone', reason: 'Behaviour' },
        { contact_id: 'K2', student_id: 'D', date: '2025-09-14', method: 'meeting', reason: 'Reintegration meeting' },
        { contact_id: 'K3', student_id: 'E', date: '2025-09-14', method: 'phone', reason: 'Reintegration meeting' },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('counts a contact on the weekend after a placement, not one before it', async () => {
    const result = await rows(
      warehouse,
      'SELECT referral_id, followed_by_parent_contact, followed_by_reintegration FROM mart_bsc_referrals ORDER BY referral_id',
    );
    expect(result).toEqual([
      { referral_id: 'D1', followed_by_parent_contact: true, followed_by_reintegration: true },
      { referral_id: 'E1', followed_by_parent_contact: false, followed_by_reintegration: false },
    ]);
  });
});
