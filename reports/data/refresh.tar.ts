// raw.refresh_log → the home page's line about the data: how recent it is, when it was last
// refreshed and what changed ("Data up to Friday 12 June 2026; refreshed Monday 15 June 2026
// 07:00; 312 new behaviour events, 4 corrected, 2 removed"). Counts only, no pupil data.
// Without any refresh (data loaded by pastoral ingest), the latest date and import time.
// An archive of two Arrow files: summary.arrow, one row (refreshed, headline, watchlist_new,
// tests_run, tests_passed: null without a refresh), and changes.arrow, per record type the new,
// corrected and removed rows of the latest refresh.
import { emitArchive, queryMart, runLoader, type Row } from '../../src/page-data/mart-export.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';

const COLUMNS = ['refreshed', 'headline', 'watchlist_new', 'tests_run', 'tests_passed'];
const CHANGE_COLUMNS = ['label', 'new', 'corrected', 'removed'];
const write = (summary: Row, changes: Row[]) =>
  emitArchive([
    { name: 'summary.arrow', data: arrowFile([summary], COLUMNS) },
    { name: 'changes.arrow', data: arrowFile(changes, CHANGE_COLUMNS) },
  ]);
import { headline, longDate, TYPE_LABEL, type RefreshSummary } from '../../src/page-data/refresh-summary.ts';

await runLoader(async () => {
  const [{ n }] = await queryMart(`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'refresh_log'`);
  // The latest refresh that got as far as summarising (a failed build still changed the data).
  const [latest] = n
    ? await queryMart(`SELECT summary::VARCHAR AS summary, status FROM raw.refresh_log
        WHERE status IN ('building', 'ok', 'failed: build', 'failed: pdf') ORDER BY started_at DESC, refresh_id DESC LIMIT 1`)
    : [];
  if (latest) {
    const summary = JSON.parse(String(latest.summary)) as RefreshSummary;
    await write(
      {
        refreshed: true,
        headline: headline(summary),
        watchlist_new: summary.watchlist.reduce((t, w) => t + w.newPupils, 0),
        tests_run: summary.tests.run,
        tests_passed: summary.tests.passed,
      },
      summary.changes.map((c) => ({ label: TYPE_LABEL[c.type] ?? c.type, new: c.new, corrected: c.corrected, removed: c.removed })),
    );
    return;
  }
  const [data] = await queryMart(`SELECT
      (SELECT strftime(max(d), '%Y-%m-%d') FROM (SELECT max(date) AS d FROM raw.behaviour UNION ALL SELECT max(date) FROM raw.attendance)) AS up_to,
      (SELECT strftime(max(imported_at), '%Y-%m-%d %H:%M') FROM raw.import_log) AS imported_at`);
  const parts = [data?.up_to ? `Data up to ${longDate(String(data.up_to))}` : 'No behaviour or attendance data yet'];
  if (data?.imported_at) parts.push(`last imported ${longDate(String(data.imported_at))} ${String(data.imported_at).slice(11, 16)}`);
  await write({ refreshed: false, headline: parts.join('; '), watchlist_new: 0, tests_run: null, tests_passed: null }, []);
});
