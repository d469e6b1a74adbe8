/**
 * sessionMemo (src/page-data/mart-export.ts): what several loaders of one export read alike (the
 * model runner's record: src/page-data/year-inputs.ts) is worked out once per export session, by
 * key, and afresh in the next session and outside any.
 */
import { describe, expect, it } from 'vitest';
import { exportSession, queryMart, sessionMemo } from '../../src/page-data/mart-export.ts';
import { usePartsWarehouse } from '../helpers/parts-warehouse.ts';

describe('sessionMemo', () => {
  const warehouse = usePartsWarehouse('pastoral-memo-');

  it('works a key out once per session, each key on its own', async () => {
    let calls = 0;
    const rows = () => {
      calls++;
      return queryMart('SELECT count(*)::INTEGER AS n FROM t');
    };
    const seen = await exportSession(warehouse(), async () => {
      const first = await sessionMemo('rows', rows);
      const again = await sessionMemo('rows', rows);
      const other = await sessionMemo('other', async () => 'other');
      return { first, again, other, same: first === again };
    });
    expect(seen.first).toEqual([{ n: 24000 }]);
    expect(seen.same).toBe(true);
    expect(seen.other).toBe('other');
    expect(calls).toBe(1);
    // A new session (the warehouse may have changed between them) works it out again.
    await exportSession(warehouse(), () => sessionMemo('rows', rows));
    expect(calls).toBe(2);
  });

  it('works it out on every call outside a session', async () => {
    let calls = 0;
    const count = async () => ++calls;
    expect(await sessionMemo('n', count)).toBe(1);
    expect(await sessionMemo('n', count)).toBe(2);
  });
});
