import { createHash } from 'node:crypto';
import { queryMart, sessionMemo } from './mart-export.ts';

/**
 * What each (school, academic year) of a mart partitioned by both was built from, as a digest,
 * without reading the mart: the model runner's own record of the warehouse it last brought up to
 * date (src/models/incremental.ts), taken from `model_state` in the same warehouse:
 *
 *   const digests = await yearInputDigests(['mart_pupil_timeline']);   // school → academic year → digest; null: unknown
 *
 * - every model's hash (its SQL, materialisation, the macros, the settings, the runner's rules):
 *   any change to any model changes every digest;
 * - the raw layer's fingerprints (row count and summed row hashes per raw table, school, academic
 *   year and school week) as that run saw them, so they describe the marts as committed, not raw
 *   rows imported since.
 *
 * A year's digest covers exactly what the runner treats as able to change it
 * (src/models/incremental.ts, rawChanges): the school's rows with no year (pupils, the school day),
 * the list of its years, and every year but the latest, for every year; the latest year's rows
 * too, for the latest. So a change confined to the school's latest year changes that year's digest
 * alone, and any other change (an older year, a pupil, a new year starting) changes every year's,
 * as the runner then rebuilds every year. (For a change to the pupils the runner now rebuilds only
 * where the pupil-years differ, often the latest year from a week; these digests stay the more
 * cautious, and a site rebuild takes a year whose digest changed by the runner's log of what each
 * run changed: src/page-data/week-changes.ts; docs/performance.md, "Session 49".) A mart partitioned by school and year
 * (`-- incremental: school_year`) gives the same rows after an incremental run as after a full one
 * (test/models): so while a (school, year)'s digest is unchanged, so are its rows.
 *
 * That holds only while no model the marts are built from reads a later year (`next year of`: the
 * runner then rebuilds the year before a changed one too) or is rebuilt whole from the raw layer
 * (then any change may reach every year): the runner records, per model, whether it holds
 * (`model_state.latest_year_alone`: src/models/incremental.ts, latestYearAlone), and the digests
 * are null if it does not for any of `marts`, as they are when the runner's state is missing or
 * empty (a warehouse whose models were built by no run that kept it): then nothing may be taken as
 * unchanged. The digests are the same for every mart: which (school, year)s changed.
 */
export type InputDigests = Map<string, Map<string, string>> & {
  /**
   * Per school, the digest of what every year of it depends on (the models, the rows with no year,
   * which years there are, every year but the latest): what the latest year's rows are built from
   * besides its own rows (the pupil timelines' term parts: reports/data/pupil-detail.tar.ts).
   */
  older: Map<string, string>;
  /**
   * The digest of every model's hash alone: a build that takes a (school, year) by the runner's log
   * of changes (src/page-data/week-changes.ts) rather than by its digest does so only over a
   * previous build of the same models' code.
   */
  models: string;
};

export async function yearInputDigests(marts: readonly string[]): Promise<InputDigests | null> {
  const record = await sessionMemo('year-inputs', runnerRecord);
  if (!record || !marts.every((mart) => record.alone.has(mart) && record.models.has(mart))) return null;
  return record.digests;
}

/**
 * The runner's record as yearInputDigests reads it, the same for every mart: read once per export
 * session (sessionMemo), not once per loader (0.1 CPU s each at a trust's 25,000 raw partitions).
 * Null when the state is missing; `digests` null when no raw fingerprint was kept.
 */
async function runnerRecord(): Promise<{ alone: Set<string>; models: Set<string>; digests: InputDigests | null } | null> {
  const [{ tables }] = await queryMart(
    `SELECT count(*)::INTEGER AS tables FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = 'model_state' AND table_name IN ('models', 'raw_partitions', 'latest_year_alone')`,
  );
  if (Number(tables) !== 3) return null;
  const alone = await queryMart(`SELECT model FROM model_state.latest_year_alone WHERE holds`);
  const models = await queryMart(`SELECT model, hash FROM model_state.models ORDER BY model, hash`);
  const raw = await queryMart(
    `SELECT table_name, school_id, academic_year, strftime(week_start, '%Y-%m-%d') AS week_start, n::VARCHAR AS n, fp
     FROM model_state.raw_partitions ORDER BY ALL`,
  );
  return {
    alone: new Set(alone.map((a) => String(a.model))),
    models: new Set(models.map((m) => String(m.model))),
    digests:
      raw.length === 0
        ? null
        : digestsOf(
            models.map((m) => `${m.model}\t${m.hash}`),
            raw.map((r) => ({ school: String(r.school_id), year: r.academic_year === null ? null : String(r.academic_year), line: [r.table_name, r.academic_year, r.week_start, r.n, r.fp].map(String).join('\t') })),
          ),
  };
}

/**
 * The digests from the models' hashes (a line each) and the raw fingerprints (a line each, with
 * the school and academic year, null: no year), in any order: exported for its test.
 */
export function digestsOf(models: readonly string[], raw: ReadonlyArray<{ school: string; year: string | null; line: string }>): InputDigests {
  const modelsText = [...models].sort().join('\n');
  const bySchool = new Map<string, { undated: string[]; years: Map<string, string[]> }>();
  for (const r of raw) {
    const school = bySchool.get(r.school) ?? { undated: [], years: new Map<string, string[]>() };
    bySchool.set(r.school, school);
    if (r.year === null) school.undated.push(r.line);
    else school.years.set(r.year, [...(school.years.get(r.year) ?? []), r.line]);
  }
  const digests: InputDigests = Object.assign(new Map<string, Map<string, string>>(), { older: new Map<string, string>(), models: sha256(`models\u0000${modelsText}`) });
  for (const [school, { undated, years }] of bySchool) {
    const names = [...years.keys()].sort();
    const latest = names.at(-1);
    // What every year of the school depends on: the models, the rows with no year, which years
    // there are, and every year before the latest.
    const common = createHash('sha256').update(`models\u0000${modelsText}\u0000years\u0000${names.join('\u001f')}\u0000undated\u0000${[...undated].sort().join('\n')}\u0000`);
    for (const year of names) if (year !== latest) common.update(`year ${year}\u0000${[...(years.get(year) ?? [])].sort().join('\n')}\u0000`);
    const older = common.digest('hex');
    digests.older.set(school, older);
    const own = new Map<string, string>();
    for (const year of names) {
      own.set(year, year === latest ? sha256(`latest\u0000${older}\u0000${[...(years.get(year) ?? [])].sort().join('\n')}`) : sha256(`older\u0000${older}`));
    }
    digests.set(school, own);
  }
  return digests;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A digest of which pupils a part of a (school, year) holds (their ids, in any order), under that
 * year's inputs digest: the pieces a school's pupils are cut into depend on their rows in every
 * year (src/page-data/timeline-parts.ts), so a year's rows unchanged is not enough for each of its
 * parts to be; with the same pupils too, a part holds the same rows. Keyed by the inputs digest
 * (itself from the warehouse's row hashes), so the build state, which keeps it, gives no way to
 * test a guess of a part's pupils without the warehouse.
 */
export function partMembersDigest(inputs: string, part: string, pupils: readonly string[]): string {
  return createHash('sha256').update(`${inputs}\u0000${part}\u0000${[...pupils].sort().join('\u001f')}`).digest('hex');
}
