// Builds a site and prints how long each phase took, each data loader's time, files and bytes
// (src/site/build-site.ts, onPhase), and each process's CPU seconds and peak memory (onUsage):
//   npx tsx scripts/build-phases.ts WAREHOUSE [AUDIENCE] [OUT_DIR]
import { buildSite } from '../src/site/build-site.ts';
import { isAudience } from '../src/page-data/audience.ts';
import type { ProcessUsage } from '../src/site/page-data-export.ts';

const [dbPath, audience = 'staff', outDir] = process.argv.slice(2);
if (!dbPath || !isAudience(audience)) throw new Error('usage: npx tsx scripts/build-phases.ts WAREHOUSE [staff|leaders|governors|trust] [OUT_DIR]');
const started = performance.now();
const usage: ProcessUsage[] = [];
await buildSite({
  dbPath,
  audience,
  outDir,
  quiet: true,
  onPhase: (phase, ms, detail) => {
    process.stdout.write(`${phase.padEnd(12)} ${(ms / 1000).toFixed(2).padStart(7)} s\n`);
    for (const l of detail?.loaders ?? []) {
      const bytes = l.files.reduce((n, f) => n + f.bytes, 0);
      process.stdout.write(`    ${l.name.padEnd(30)} ${(l.ms / 1000).toFixed(2).padStart(6)} s  ${String(l.files.length).padStart(5)} files ${(bytes / 1024).toFixed(0).padStart(7)} KB\n`);
    }
  },
  onUsage: (u) => usage.push(u),
});
const own = process.resourceUsage();
usage.unshift({ name: 'build (this process)', cpuSeconds: (own.userCPUTime + own.systemCPUTime) / 1e6, peakRssBytes: own.maxRSS * 1024 });
for (const u of usage) process.stdout.write(`cpu          ${u.cpuSeconds.toFixed(2).padStart(7)} s  peak ${(u.peakRssBytes / 1024 ** 3).toFixed(2)} GiB  ${u.name}\n`);
process.stdout.write(`${'total'.padEnd(12)} ${((performance.now() - started) / 1000).toFixed(2).padStart(7)} s\n`);
