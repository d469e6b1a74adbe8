import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

/**
 * Kysely's values (the query builder and the `sql` tag), from its CommonJS build. The page-data
 * processes and the CLI run TypeScript through tsx, whose ES-module hooks answer each module
 * imported from another thread: kysely's ES build is about 400 modules, 0.4–0.5 CPU s a process
 * to import that way, its CommonJS build 0.1 (read in the process's own thread). Its types are
 * the same either way (`import type … from 'kysely'`); every value comes from here, so one copy
 * of kysely is loaded.
 */
const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } = kysely;
