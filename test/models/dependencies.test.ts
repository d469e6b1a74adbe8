import { describe, expect, it } from 'vitest';
import { modelDependencies, topologicalOrder } from '../../src/models/dependencies.ts';
import { readModels } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';
import { sqlDir } from '../helpers/sql-dir.ts';

describe('model order comes from the SQL itself', () => {
  it('orders models by what they read, not by file name or folder', async () => {
    const dir = sqlDir({
      'staging/a_last.sql': 'select * from m_middle join z_first using (k)',
      'intermediate/m_middle.sql': 'with z as (select * from z_first) select k, count(*) as n from z group by k',
      'marts/z_first.sql': "select 1 as k, 'x' as v",
    });
    const warehouse = await openTempWarehouse();
    try {
      const deps = await modelDependencies(warehouse.connection, readModels(dir));
      expect(Object.fromEntries(deps)).toEqual({ a_last: ['m_middle', 'z_first'], m_middle: ['z_first'], z_first: [] });
      expect(topologicalOrder(deps)).toEqual(['z_first', 'm_middle', 'a_last']);
      const report = await runModels(warehouse.connection, { sqlDir: dir });
      expect(report.order).toEqual(['z_first', 'm_middle', 'a_last']);
      expect(report.rowCounts).toEqual({ z_first: 1, m_middle: 1, a_last: 1 });
    } finally {
      warehouse.close();
    }
  });

  it('refuses a cycle, naming the models in it', () => {
    expect(() => topologicalOrder(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toThrow('cycle: a, b');
  });

  it('handles CRLF model files (edited on Windows)', async () => {
    const dir = sqlDir({ 'marts/one.sql': 'select 1 as k\r\n-- comment\r\n;\r\n' });
    const warehouse = await openTempWarehouse();
    try {
      expect((await runModels(warehouse.connection, { sqlDir: dir })).rowCounts).toEqual({ one: 1 });
    } finally {
      warehouse.close();
    }
  });

  it('reports a failing data test by name with its failing rows', async () => {
    const dir = sqlDir({
      'marts/scores.sql': 'select * from (values (1, 50), (2, 120)) t(id, pct)',
      'tests/pct_in_range.sql': 'select * from scores where pct > 100',
    });
    const warehouse = await openTempWarehouse();
    try {
      const report = await runModels(warehouse.connection, { sqlDir: dir });
      expect(report.failures).toEqual([expect.objectContaining({ test: 'pct_in_range', failingRows: 1, sample: [{ id: 2, pct: 120 }] })]);
    } finally {
      warehouse.close();
    }
  });

  it('leaves the previous models in place when one model fails', async () => {
    const warehouse = await openTempWarehouse();
    try {
      await runModels(warehouse.connection, { sqlDir: sqlDir({ 'marts/good.sql': 'select 1 as v' }) });
      const broken = sqlDir({ 'marts/good.sql': 'select 2 as v', 'marts/zbad.sql': 'select * from good where nonexistent = 1' });
      await expect(runModels(warehouse.connection, { sqlDir: broken })).rejects.toThrow(/model zbad .* failed/);
      const rows = (await warehouse.connection.runAndReadAll('select v from good')).getRowObjectsJS();
      expect(rows).toEqual([{ v: 1 }]);
    } finally {
      warehouse.close();
    }
  });
});
