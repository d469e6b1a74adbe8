/**
 * Which raw tables are read only through `compared` models (src/models/run-models.ts,
 * gatedRawTables): their school-wide changes then leave the school's other changes by week
 * (src/models/incremental.ts, rawChanges). The pupils are, in sql/.
 */
import { describe, expect, it } from 'vitest';
import { readModels } from '../../src/models/model-files.ts';
import { gatedRawTables } from '../../src/models/run-models.ts';
import { sqlDir } from '../helpers/sql-dir.ts';

describe('raw tables read only through compared models', () => {
  it('counts a table read by compared tables, or by views read only by them, and no other', () => {
    const compared = '-- incremental: school_year\n-- incremental weeks: compared by d\nselect 1';
    const models = readModels(
      sqlDir({
        'staging/v_a.sql': '-- materialised: view\nselect 1',
        'intermediate/m_a.sql': compared,
        'intermediate/m_b.sql': compared,
        'intermediate/plain_b.sql': '-- incremental: school_year\nselect 1',
        'staging/v_c.sql': '-- materialised: view\nselect 1',
        'intermediate/m_d.sql': '-- incremental: school\n-- incremental weeks: compared\nselect 1',
      }),
    );
    // Who reads what (as modelInputs would find it by parsing each model).
    const inputs = {
      models: new Map([['v_a', []], ['m_a', ['v_a']], ['m_b', []], ['plain_b', []], ['v_c', []], ['m_d', []]]),
      raw: new Map([['v_a', ['a']], ['m_a', []], ['m_b', ['b']], ['plain_b', ['b']], ['v_c', ['c']], ['m_d', ['d']]]),
    };
    // a: through a view read by a compared model; b: a plain model reads it too; c: a view nobody
    // reads; d: a compared model by school alone (no year of its own to hand on).
    expect([...gatedRawTables(models, inputs)]).toEqual(['a']);
  });

  it('finds the pupils gated in sql/', () => {
    const models = readModels();
    const inputs = { models: new Map<string, string[]>(), raw: new Map<string, string[]>() };
    for (const m of models) {
      inputs.models.set(m.name, models.filter((o) => o.name !== m.name && new RegExp(`\\b${o.name}\\b`).test(m.sql)).map((o) => o.name));
      inputs.raw.set(m.name, [...m.sql.matchAll(/\braw\.([a-z_]+)/g)].map((x) => x[1]));
    }
    expect([...gatedRawTables(models, inputs)]).toEqual(['students']);
  });
});
