import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from '../commonjs/kysely.ts';
import type { MartDatabase } from './mart-types.generated.ts';

/**
 * Typed queries on the marts. Kysely only compiles here (DummyDriver): DuckDB speaks the
 * Postgres dialect closely enough ($1 placeholders, double-quoted identifiers) and runs the
 * compiled SQL itself. The types come from the marts DuckDB actually builds
 * (mart-types.generated.ts), so `tsc` rejects a loader that asks for a column a mart lacks.
 */
export const marts = new Kysely<MartDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
