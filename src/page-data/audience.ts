/**
 * The audiences a site is built for, as the page data loaders see them: which one a loader runs
 * for (PASTORAL_AUDIENCE, set by the build) and whether it may ship any pupil-level row. What
 * each audience's build holds (its pages, its folder) is the build's business: src/site/audiences.ts.
 */
export const AUDIENCES = ['staff', 'leaders', 'governors', 'trust'] as const;
export type Audience = (typeof AUDIENCES)[number];

export function isAudience(value: string): value is Audience {
  return (AUDIENCES as readonly string[]).includes(value);
}

/** Audiences whose builds hold no pupil-level row at all. */
export function isAggregateOnly(audience: Audience): boolean {
  return audience === 'leaders' || audience === 'governors';
}

/** The audience a data loader is running for (PASTORAL_AUDIENCE, set by buildSite; staff when unset). */
export function loaderAudience(env: NodeJS.ProcessEnv = process.env): Audience {
  const value = env.PASTORAL_AUDIENCE ?? 'staff';
  if (!isAudience(value)) throw new Error(`PASTORAL_AUDIENCE is ${JSON.stringify(value)}: expected one of ${AUDIENCES.join(', ')}`);
  return value;
}
