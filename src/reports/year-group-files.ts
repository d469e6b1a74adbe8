import { arrowFile } from './arrow-file.ts';
import { emitArchive, type Row } from './mart-export.ts';

/** The year groups a secondary school can have; a page names one file per year group. */
export const YEAR_GROUPS: readonly number[] = Object.freeze([7, 8, 9, 10, 11, 12, 13]);

/**
 * Writes rows as an archive of one Arrow file per year group (y7.arrow … y13.arrow), so a page
 * fetches only the year group on screen. Every file exists, empty where the school has none of
 * that year group, because the page names them all.
 */
export async function writeYearGroupArchive(rows: readonly Row[], columns: readonly string[]): Promise<void> {
  await emitArchive(YEAR_GROUPS.map((y) => ({ name: `y${y}.arrow`, data: arrowFile(rows.filter((r) => r.year_group === y), columns) })));
}
