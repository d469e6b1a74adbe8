import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create('/tmp/s22/trust.duckdb', { access_mode: 'READ_ONLY' });
const c = await db.connect();
for (const sql of process.argv.slice(2)) console.table((await (await c.run(sql)).getRowObjectsJS()));
