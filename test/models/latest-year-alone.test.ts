/**
 * Which models a change confined to a school's latest academic year can change in that year alone
 * (src/models/incremental.ts, latestYearAlone), as the site's rebuild relies on it to take the
 * other years' pages as they were (src/page-data/year-inputs.ts): a model partitioned by school and
 * its academic_year, built from no model that reads a later year or is rebuilt whole from raw rows.
 * Checked on the repository's own models as the runner reads them, and on small made-up ones.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { modelInputs, type ModelInputs } from '../../src/models/dependencies.ts';
import { latestYearAlone } from '../../src/models/incremental.ts';
import { incrementalOf, readModels, type SqlFile } from '../../src/models/model-files.ts';

/** A model from its SQL (its header lines as in a file). */
const model = (name: string, sql: string): SqlFile => ({ name, layer: 'marts', file: `${name}.sql`, sql, materialised: 'table', incremental: incrementalOf(sql, name), weeks: null }) as SqlFile;
const graph = (models: Record<string, string[]>, raw: Record<string, string[]> = {}): ModelInputs => ({
  models: new Map(Object.entries(models)),
  raw: new Map(Object.entries(raw)),
});

describe('latestYearAlone', () => {
  it('holds for the marts the site takes by year (the pupil timeline, hotspots, the weekly review lists), not for one built from a later year', async () => {
    const models = readModels();
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const holds = latestYearAlone(models, await modelInputs(connection, models));
      expect(holds.get('mart_pupil_timeline')).toBe(true);
      expect(holds.get('mart_behaviour_hotspots')).toBe(true);
      expect(holds.get('mart_pupils_of_concern')).toBe(true);
      expect(holds.get('mart_watchlist')).toBe(true);
      // Its matches look a year ahead (an intervention's after-window): `next year of`.
      expect(holds.get('int_intervention_matches')).toBe(false);
      expect(holds.get('mart_intervention_impact')).toBe(false);
      // Partitioned by school alone.
      expect(holds.get('mart_detention_list')).toBe(false);
      expect(holds.size).toBe(models.length);
    } finally {
      connection.closeSync();
    }
  });

  const stg = model('stg_things', '-- incremental: school_year\nselect 1');
  it('holds through partitioned models, the previous year, all years, by school, and whole models that read no raw table', () => {
    const holds = latestYearAlone(
      [
        stg,
        model('ref_codes', 'select 1'),
        model('stg_people', '-- incremental: school\nselect 1'),
        model('int_prior', '-- incremental: school_year; previous year of stg_things; all years of stg_people\nselect 1'),
        model('mart_things', '-- incremental: school_year\nselect 1'),
      ],
      graph({ stg_things: [], ref_codes: [], stg_people: [], int_prior: ['stg_things', 'stg_people'], mart_things: ['int_prior', 'ref_codes'] }, { stg_things: ['things'], stg_people: ['people'] }),
    );
    expect(holds.get('mart_things')).toBe(true);
    expect(holds.get('stg_people')).toBe(false);
  });

  it('fails when a model upstream reads the next year, or one is rebuilt whole from raw rows, or the year is another expression', () => {
    const next = latestYearAlone(
      [stg, model('int_ahead', '-- incremental: school_year; next year of stg_things\nselect 1'), model('mart_things', '-- incremental: school_year\nselect 1')],
      graph({ stg_things: [], int_ahead: ['stg_things'], mart_things: ['int_ahead'] }, { stg_things: ['things'] }),
    );
    expect(next.get('stg_things')).toBe(true);
    expect(next.get('mart_things')).toBe(false);
    const whole = latestYearAlone(
      [stg, model('int_totals', 'select 1'), model('mart_things', '-- incremental: school_year\nselect 1')],
      graph({ stg_things: [], int_totals: ['stg_things'], mart_things: ['stg_things', 'int_totals'] }, { stg_things: ['things'] }),
    );
    expect(whole.get('mart_things')).toBe(false);
    const byDate = latestYearAlone([model('stg_events', '-- incremental: school_year by academic_year_of(date)\nselect 1')], graph({ stg_events: [] }, { stg_events: ['events'] }));
    expect(byDate.get('stg_events')).toBe(false);
  });
});
