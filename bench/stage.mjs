// Runs one benchmark stage (stage.ts) in this process, through tsx as bin/pastoral.mjs does,
// and prints its result as the line `STAGE {json}`.
import { register } from 'tsx/esm/api';

register();
const { runStage } = await import('./stage.ts');
const result = await runStage(JSON.parse(process.argv[2]));
process.stdout.write(`STAGE ${JSON.stringify(result)}\n`);
