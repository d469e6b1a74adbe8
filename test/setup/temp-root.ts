// The run's temporary folder (made in vitest.config.ts) is deleted when the run ends, whatever
// the tests left in it.
import { rmSync } from 'node:fs';

export function teardown(): void {
  const root = process.env.PASTORAL_TEST_TMP;
  if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
