/**
 * Keyed pseudonyms for the trust build: a pupil appears as `P-` + the first 12 hex digits of
 * HMAC-SHA256(key, school_id + "\u001f" + student_id). The key is 32 random bytes made once per
 * warehouse (the first trust build) and kept in the warehouse table `private.pseudonym_key`; it
 * is never written to a build. With the key (the school's own warehouse) a pseudonym can be
 * linked back to the pupil; without it, it cannot be reversed or recomputed from a name, id or
 * UPN. The same pupil keeps the same pseudonym across builds of one warehouse, so the trust can
 * follow a case over time; a different warehouse (or a new key) gives different pseudonyms.
 *
 *   await ensurePseudonymKey('data/pastoral.duckdb');        // once, before a trust build
 *   const key = await readPseudonymKey(connection);           // in a loader
 *   pseudonym(key, '100001', 'S000123')                        // 'P-3f2a…'
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, withWarehouse } from '../warehouse/warehouse.ts';
import { withMartConnection } from './mart-export.ts';

const KEY_TABLE = 'private.pseudonym_key';

/** The pseudonym of one pupil of one school (12 hex digits: 48 bits, no collision in any trust). */
export function pseudonym(key: Buffer, schoolId: string, studentId: string): string {
  return `P-${createHmac('sha256', key).update(`${schoolId}\u001f${studentId}`).digest('hex').slice(0, 12)}`;
}

/** Makes the warehouse's pseudonym key if it has none (one row, never replaced). Returns whether one was made. */
export async function ensurePseudonymKey(dbPath: string): Promise<boolean> {
  return withWarehouse(dbPath, async (c) => {
    await c.run('CREATE SCHEMA IF NOT EXISTS private');
    await c.run(`CREATE TABLE IF NOT EXISTS ${KEY_TABLE} (key_hex VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`);
    const [{ n }] = await queryRows<{ n: number }>(c, `SELECT count(*)::INTEGER AS n FROM ${KEY_TABLE}`);
    if (n > 0) return false;
    await c.run(`INSERT INTO ${KEY_TABLE} VALUES ($1, now()::TIMESTAMP)`, [randomBytes(32).toString('hex')]);
    return true;
  });
}

/** The warehouse's pseudonym key; throws if the warehouse has none (buildSite makes it before a trust build). */
export async function readPseudonymKey(connection: DuckDBConnection): Promise<Buffer> {
  const exists = await queryRows<{ n: number }>(
    connection,
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'private' AND table_name = 'pseudonym_key'`,
  );
  const rows = exists[0].n > 0 ? await queryRows<{ key_hex: string }>(connection, `SELECT key_hex FROM ${KEY_TABLE}`) : [];
  if (rows.length !== 1) throw new Error('the warehouse has no pseudonym key (build with `pastoral build --audience trust`, which makes one)');
  return Buffer.from(rows[0].key_hex, 'hex');
}

/** For a data loader: the key of the warehouse the build reads (PASTORAL_DB), on the loader's read-only connection. */
export async function loaderPseudonymKey(): Promise<Buffer> {
  return withMartConnection((c) => readPseudonymKey(c));
}
