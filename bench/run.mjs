// Runs one benchmark (run.ts) in this process, through tsx as bin/pastoral.mjs does: started by
// `pastoral bench` with the request as JSON, e.g. node bench/run.mjs '{"kind":"pages","dist":"dist","rounds":3}'.
import { register } from 'tsx/esm/api';

register();
const { runBench } = await import('./run.ts');
process.exitCode = await runBench(JSON.parse(process.argv[2]));
