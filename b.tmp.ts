import { buildSite } from './src/build/build-site.ts';
await buildSite({ dbPath: process.argv[2], outDir: process.argv[3], quiet: true });
