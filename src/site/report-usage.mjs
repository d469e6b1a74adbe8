// Preloaded (`node --import <this file>`) into a child process whose parent wants its CPU time
// and peak memory (src/site/build-site.ts, runFrameworkBuild's `reportUsage`): on exit, writes
// them as JSON to the file PASTORAL_USAGE_FILE names. Plain JavaScript: the child has no tsx.
import { writeFileSync } from 'node:fs';

const file = process.env.PASTORAL_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssBytes: usage.maxRSS * 1024 }));
  });
}
