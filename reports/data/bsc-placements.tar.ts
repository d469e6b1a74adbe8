// mart_bsc_referrals → one row per BSC placement for the BSC page (a few hundred a year per
// school): when, who (staff page: names), why, how it went, whether it was a repeat and
// whether it was followed up. Names come from the pupil's record for that academic year.
// The trust build (--audience trust) gets each pupil under a keyed pseudonym (src/page-data/pseudonym.ts)
// in place of both the MIS id and the name, no form, and a reason only when at least
// TRUST_REASON_MIN placements of the school share it (a rare reason is typed text that could
// say who it was about: it becomes "Other"). Leaders' and governors' builds refuse this loader.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
// A staff site rebuilt after a week's refresh takes the (school, year)s whose rows are as the site
// it replaces wrote them (src/page-data/year-parts-reuse.ts, by their rows: mart_bsc_referrals is
// rebuilt whole, as a placement looks forward to the pupil's next one, perhaps next year).
import { sql } from '../../src/commonjs/kysely.ts';
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { loaderPseudonymKey, pseudonym } from '../../src/page-data/pseudonym.ts';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';
import { keepAll, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const TRUST_REASON_MIN = 5;

const columns = [
  'school_id', 'academic_year', 'term', 'week_start', 'date', 'year_group', 'form', 'student_id', 'pupil', 'reason', 'booklet', 'conduct',
  'outcome', 'school_days_since_previous', 'is_repeat', 'followed_by_parent_contact', 'followed_by_reintegration',
];

// The part's key values first, then the columns, ordered by the key and then down to the row.
const query = (kept: Kept) =>
  sql`SELECT r.school_id AS part_school, r.academic_year AS part_year,
      r.school_id, r.academic_year, r.term, r.week_start, r.date, r.year_group, r.form, r.student_id,
      p.first_name || ' ' || p.last_name AS pupil, r.reason, r.booklet, r.conduct, r.outcome, r.school_days_since_previous,
      r.is_repeat, r.followed_by_parent_contact, r.followed_by_reintegration
    FROM mart_bsc_referrals r
    LEFT JOIN int_pupil_names p USING (school_id, student_id, academic_year)
    WHERE ${kept('r.school_id', 'r.academic_year')}
    ORDER BY r.school_id, r.academic_year, r.date, r.referral_id`.compile(marts);

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC placements name pupils: they are not part of the ${audience} build`);
  if (audience !== 'trust') {
    await emitArchive(
      await yearPartitionMembers({ name: 'bsc-placements', loader: import.meta.url, marts: ['mart_bsc_referrals', 'int_pupil_names'], columns, keys: ['school_id', 'academic_year'], query, unchangedBy: 'rows' }),
    );
    return;
  }
  const rows = await queryMart(query(keepAll));
  const key = await loaderPseudonymKey();
  const reasonCounts = new Map<string, number>();
  for (const row of rows) reasonCounts.set(`${row.school_id}\u001f${row.reason}`, (reasonCounts.get(`${row.school_id}\u001f${row.reason}`) ?? 0) + 1);
  for (const row of rows) {
    const code = pseudonym(key, String(row.school_id), String(row.student_id));
    row.student_id = code;
    row.pupil = code;
    row.form = null;
    if (row.reason !== null && (reasonCounts.get(`${row.school_id}\u001f${row.reason}`) ?? 0) < TRUST_REASON_MIN) row.reason = 'Other';
  }
  await emitArchive(partitionedMembers(rows, columns, ['school_id', 'academic_year']));
});
