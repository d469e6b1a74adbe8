// mart_bsc_repeat_pupils → the BSC page's "pupils placed more than once" table, per school, year,
// term and year group (term 'All' and year_group 0 are the totals): placements, repeats, the
// gaps (school days since the previous placement, as text), first and latest dates, the latest
// reason. Names come from the pupil's record for that academic year (staff page).
// The trust build (--audience trust) gets each pupil under a keyed pseudonym (src/page-data/pseudonym.ts)
// in place of the MIS id and the name, no form, and the mart's trust reason (a rare reason is
// 'Other', as in its bsc-placements). Leaders' and governors' builds refuse this loader.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
// A staff site rebuilt after a week's refresh takes the (school, year)s whose rows are as the site
// it replaces wrote them (src/page-data/year-parts-reuse.ts, by their rows: the mart is rebuilt whole).
import { sql } from '../../src/commonjs/kysely.ts';
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { loaderPseudonymKey, pseudonym } from '../../src/page-data/pseudonym.ts';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';
import { keepAll, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = [
  'school_id', 'academic_year', 'term', 'year_group', 'student_id', 'pupil', 'last_year_group', 'last_form', 'placements', 'repeats', 'gaps',
  'first_date', 'last_date', 'last_reason', 'pupil_order', 'pupils_listed',
];

// The part's key values first, then the columns, ordered by the key and then down to the row.
const query = (trust: boolean) => (kept: Kept) =>
  sql`SELECT r.school_id AS part_school, r.academic_year AS part_year,
      r.school_id, r.academic_year, r.term, r.year_group, r.student_id, p.first_name || ' ' || p.last_name AS pupil,
      r.last_year_group, r.last_form, r.placements, r.repeats, array_to_string(r.gaps, ', ') AS gaps, r.first_date, r.last_date,
      ${sql.ref(trust ? 'r.last_reason_trust' : 'r.last_reason')} AS last_reason, r.pupil_order, r.pupils_listed
    FROM mart_bsc_repeat_pupils r
    LEFT JOIN int_pupil_names p USING (school_id, student_id, academic_year)
    WHERE ${kept('r.school_id', 'r.academic_year')}
    ORDER BY r.school_id, r.academic_year, r.term, r.year_group, r.pupil_order`.compile(marts);

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC repeat pupils are named: they are not part of the ${audience} build`);
  if (audience !== 'trust') {
    await emitArchive(
      await yearPartitionMembers({
        name: 'bsc-repeat-pupils', loader: import.meta.url, marts: ['mart_bsc_repeat_pupils', 'int_pupil_names'], columns, keys: ['school_id', 'academic_year'], query: query(false), unchangedBy: 'rows',
      }),
    );
    return;
  }
  const rows = await queryMart(query(true)(keepAll));
  const key = await loaderPseudonymKey();
  for (const row of rows) {
    const code = pseudonym(key, String(row.school_id), String(row.student_id));
    row.student_id = code;
    row.pupil = code;
    row.last_form = null;
  }
  await emitArchive(partitionedMembers(rows, columns, ['school_id', 'academic_year']));
});
