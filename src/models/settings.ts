import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Parameters the models read from the one-row `settings` table, so a school can change a
 * window without editing SQL (`pastoral models --repeat-window 15`). Documented in docs/metrics.md.
 */
export interface ModelSettings {
  /** A BSC placement within this many school days of the previous one is a repeat referral. */
  repeatReferralWindowDays: number;
  /** School weeks before and after an intervention starts, for its impact. */
  impactWindowWeeks: number;
  /**
   * Comparison pupils for an intervention's impact must be within this many negative events per
   * school week of the pupil, both over the last 2 baseline weeks and over the weeks before them.
   */
  impactMatchCaliper: number;
  /** The same for attendance-focus interventions, in percentage points of attendance. */
  impactAttendanceCaliper: number;
  /** Below this many pupils an intervention type's impact is "too few pupils to say". */
  impactMinPupils: number;
  /** Counts below this are suppressed on governor and SLT reports. */
  smallCountThreshold: number;
  /** School weeks after a watchlist date in which outcomes are counted by the backtest. */
  watchlistHorizonWeeks: number;
  /** How many of the watchlist's highest-ranked pupils the backtest checks (and the list always shows). */
  watchlistTopPupils: number;
  /**
   * A negative behaviour event of at least this severity (1–5) is a serious incident: counted in
   * serious_events, and its statement is expected the same school day (mart_statements_on_time).
   */
  seriousSeverity: number;
}

export const DEFAULT_SETTINGS: ModelSettings = Object.freeze({
  repeatReferralWindowDays: 20,
  impactWindowWeeks: 6,
  impactMatchCaliper: 0.5,
  impactAttendanceCaliper: 5,
  impactMinPupils: 10,
  smallCountThreshold: 5,
  watchlistHorizonWeeks: 6,
  watchlistTopPupils: 20,
  seriousSeverity: 4,
});

/** Writes the settings into `table`, or a temporary table `settings` (a model run's until its swap: see runModels). */
export async function writeSettings(connection: DuckDBConnection, settings: ModelSettings, table: string | 'temporary' = 'settings'): Promise<void> {
  await connection.run(`CREATE OR REPLACE ${table === 'temporary' ? 'TEMP TABLE settings' : `TABLE ${table}`} AS SELECT
    ${settings.repeatReferralWindowDays}::INTEGER AS repeat_referral_window_days,
    ${settings.impactWindowWeeks}::INTEGER AS impact_window_weeks,
    ${settings.impactMatchCaliper}::DOUBLE AS impact_match_caliper,
    ${settings.impactAttendanceCaliper}::DOUBLE AS impact_attendance_caliper,
    ${settings.impactMinPupils}::INTEGER AS impact_min_pupils,
    ${settings.smallCountThreshold}::INTEGER AS small_count_threshold,
    ${settings.watchlistHorizonWeeks}::INTEGER AS watchlist_horizon_weeks,
    ${settings.watchlistTopPupils}::INTEGER AS watchlist_top_pupils,
    ${settings.seriousSeverity}::INTEGER AS serious_severity`);
}
