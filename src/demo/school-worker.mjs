// A worker thread that generates demo schools (generate.ts hands it one job at a time). Plain
// JavaScript so Node can start it without tsx; it registers tsx for the TypeScript it loads.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { generateSchool } = await import('./generate-school.ts');

parentPort.on('message', async ({ index, job }) => {
  try {
    parentPort.postMessage({ index, result: await generateSchool(job) });
  } catch (error) {
    parentPort.postMessage({ index, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
