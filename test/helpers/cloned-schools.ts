// A bigger trust made from a built warehouse without generating it again: a copy in which every
// school appears `copies` more times, as `<school_id>-c1`, `<school_id>-c2` …: every base table
// with a school_id column gets a copy of each school's rows under the new id, so the marts (views
// included) hold each clone as they hold its school. For tests of what grows with the number of
// schools in a trust (test/pages/data-budget-schools.test.ts).
import { copyFileSync } from 'node:fs';
import { ident, literal, queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';

export async function cloneSchools(from: string, to: string, copies: number): Promise<string[]> {
  copyFileSync(from, to);
  return withWarehouse(to, async (c) => {
    const tables = await queryRows<{ schema_name: string; table_name: string }>(
      c,
      `SELECT t.schema_name, t.table_name FROM duckdb_tables() t JOIN duckdb_columns() col USING (database_name, schema_name, table_name)
       WHERE col.column_name = 'school_id' AND t.database_name = current_database() ORDER BY 1, 2`,
    );
    const schools = (await queryRows<{ school_id: string }>(c, 'SELECT DISTINCT school_id FROM raw.students ORDER BY 1')).map((r) => r.school_id);
    for (const { schema_name, table_name } of tables) {
      const table = `${ident(schema_name)}.${ident(table_name)}`;
      for (let k = 1; k <= copies; k++) {
        await c.run(`INSERT INTO ${table} SELECT * REPLACE (school_id || ${literal(`-c${k}`)} AS school_id) FROM ${table} WHERE school_id IN (${schools.map(literal).join(', ')})`);
      }
    }
    await c.run('CHECKPOINT');
    return (await queryRows<{ school_id: string }>(c, 'SELECT DISTINCT school_id FROM raw.students ORDER BY 1')).map((r) => r.school_id);
  });
}
