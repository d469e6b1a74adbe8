// The Pastoral Support Officer's daily lists (staff page: names), in one archive:
//   dates.json      per school and date: detentions and BSC placements, for the date picker
//   m01.json … m12.json  {detentions, bsc} for the dates in that calendar month, fetched only
//                   for the chosen date's month (mart_detention_list, mart_bsc_register)
// Only the 12 calendar months up to the latest date in the data are published: the lists are
// for the days around today, not an archive of every pupil's detentions.
import { queryMart, runLoader, type Row } from '../../src/reports/mart-export.ts';
import { writeTar, type TarEntry } from '../../src/reports/tar-archive.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const detentionColumns = ['school_id', 'date', 'type', 'session_order', 'detention_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'minutes', 'reason', 'issued_by', 'status'] as const;
const bscColumns = ['school_id', 'date', 'referral_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'periods', 'start_time', 'end_time', 'reason', 'referred_by', 'placement_number', 'is_repeat', 'booklet', 'conduct', 'outcome'] as const;

await runLoader(async () => {
  // First day of the calendar month 11 months before the latest month with a detention or placement.
  const [{ from }] = await queryMart(`
    SELECT strftime(date_trunc('month', max(date)) - INTERVAL 11 MONTH, '%Y-%m-%d') AS "from"
    FROM (SELECT date FROM mart_detention_list UNION ALL SELECT date FROM mart_bsc_register)`);
  if (from === null) throw new Error('no detentions or BSC placements in the warehouse: nothing to list');
  const detentions = await queryMart(
    marts.selectFrom('mart_detention_list').select(detentionColumns).where('date', '>=', String(from))
      .orderBy('school_id').orderBy('date').orderBy('session_order').orderBy('last_name').orderBy('first_name'),
  );
  const bsc = await queryMart(
    marts.selectFrom('mart_bsc_register').select(bscColumns).where('date', '>=', String(from))
      .orderBy('school_id').orderBy('date').orderBy('start_time').orderBy('last_name').orderBy('first_name'),
  );
  const dates = new Map<string, { school_id: string; date: string; detentions: number; bsc: number }>();
  const count = (row: Row, list: 'detentions' | 'bsc') => {
    const key = `${row.school_id}|${row.date}`;
    const entry = dates.get(key) ?? { school_id: String(row.school_id), date: String(row.date), detentions: 0, bsc: 0 };
    entry[list] += 1;
    dates.set(key, entry);
  };
  detentions.forEach((r) => count(r, 'detentions'));
  bsc.forEach((r) => count(r, 'bsc'));
  const month = (row: Row) => String(row.date).slice(5, 7);
  const entries: TarEntry[] = [{ name: 'dates.json', data: JSON.stringify([...dates.values()].sort((a, b) => a.school_id.localeCompare(b.school_id) || a.date.localeCompare(b.date))) }];
  for (let m = 1; m <= 12; m++) {
    const key = String(m).padStart(2, '0');
    entries.push({ name: `m${key}.json`, data: JSON.stringify({ detentions: detentions.filter((r) => month(r) === key), bsc: bsc.filter((r) => month(r) === key) }) });
  }
  await writeTar(entries);
});
