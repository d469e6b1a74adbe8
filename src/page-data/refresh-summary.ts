/**
 * A refresh's summary (what changed since the last refresh) and the one line the home page shows.
 * No pupil data: counts only. Kept light: the home page's data loader imports it.
 */

/** What a record type's rows are called in the summary. */
export const TYPE_LABEL: Readonly<Record<string, string>> = {
  students: 'pupil records',
  behaviour: 'behaviour events',
  attendance: 'attendance marks',
  bsc: 'BSC placements',
  detentions: 'detentions',
  interventions: 'interventions',
  suspensions: 'suspensions',
  contacts: 'parent contacts',
  calendar: 'term dates',
};

export interface TypeChange {
  type: string;
  new: number;
  corrected: number;
  removed: number;
  rejected: number;
}

/** What a refresh changed since the last one that completed (kept in raw.refresh_log.summary, no pupil data). */
export interface RefreshSummary {
  refreshedAt: string;
  /** Latest date of any behaviour event or attendance mark in the warehouse. */
  dataUpTo: string | null;
  filesImported: number;
  filesSkipped: number;
  /** Per record type, over every import since the last completed refresh (record-type order). */
  changes: TypeChange[];
  /**
   * Per school: pupils on the watchlist (its latest week) who were not on it at the last completed
   * refresh; at the first refresh, those it marks new that week. Counts only.
   */
  watchlist: Array<{ schoolId: string; week: string; newPupils: number }>;
  tests: { run: number; passed: number; failed: string[] };
  site: string | null;
  pdfs: string[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** Local wall-clock time as DuckDB reads it: 2026-06-15 07:00:00. */
export function localStamp(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** `2026-06-12` → `Friday 12 June 2026` (a calendar date: no time zone involved). */
export function longDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday} ${d} ${MONTHS[m - 1]} ${y}`;
}
export const thousands = (n: number) => n.toLocaleString('en-GB');
const SINGULAR: Readonly<Record<string, string>> = {
  students: 'pupil record',
  behaviour: 'behaviour event',
  attendance: 'attendance mark',
  bsc: 'BSC placement',
  detentions: 'detention',
  interventions: 'intervention',
  suspensions: 'suspension',
  contacts: 'parent contact',
  calendar: 'term date',
};
/** `1 new behaviour event`, `312 new behaviour events`. */
const newOf = (n: number, type: string) => `${thousands(n)} new ${(n === 1 ? SINGULAR[type] : TYPE_LABEL[type]) ?? type}`;

/**
 * The one line for the home page: "Data up to Friday 12 June 2026; refreshed Monday 15 June 2026
 * 07:00; 312 new behaviour events, 4 corrected, 2 removed; 120 new attendance marks".
 */
export function headline(summary: RefreshSummary): string {
  const parts = [
    summary.dataUpTo ? `Data up to ${longDate(summary.dataUpTo)}` : 'No behaviour or attendance data yet',
    `refreshed ${longDate(summary.refreshedAt)} ${summary.refreshedAt.slice(11, 16)}`,
  ];
  const changed = summary.changes.filter((c) => c.new + c.corrected + c.removed > 0);
  if (changed.length === 0) parts.push('no changes');
  for (const c of changed) {
    const bits = [newOf(c.new, c.type)];
    if (c.corrected > 0) bits.push(`${thousands(c.corrected)} corrected`);
    if (c.removed > 0) bits.push(`${thousands(c.removed)} removed`);
    parts.push(bits.join(', '));
  }
  return parts.join('; ');
}

