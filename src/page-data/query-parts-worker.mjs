// The worker thread of encodeQueryPartsInThreads (src/page-data/query-parts.ts): its share of the
// queries (each the next one neither thread has taken), read from its own read-only connection to
// the warehouse, each part posted back as it is encoded (its bytes moved, not copied). Plain
// JavaScript so Node can start it without tsx; it registers tsx for the TypeScript it loads.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { exportSession } = await import('./mart-export.ts');
const { claimInTurn, encodeQueryParts } = await import('./query-parts.ts');

try {
  await exportSession(workerData.db, () =>
    encodeQueryParts(workerData.queries, workerData.columns, (part) => {
      const data = part.data.byteOffset === 0 && part.data.byteLength === part.data.buffer.byteLength ? part.data : part.data.slice();
      parentPort.postMessage({ part: { ...part, data } }, [data.buffer]);
    }, workerData.options, claimInTurn(workerData.next, workerData.queries.length)),
  );
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
