import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Every temporary file of a run (throwaway warehouses, exports, sites, Chromium profiles) goes
// under one folder, which test/setup/temp-root.ts deletes when the run ends: tests that stop
// half way, or forget their own clean-up, no longer leave folders behind in the system's temp
// folder (thousands of them, tens of GB, over a few weeks of runs). TMPDIR is what os.tmpdir()
// reads on Linux and macOS, TEMP and TMP on Windows; the workers inherit all three.
if (!process.env.PASTORAL_TEST_TMP) {
  const root = mkdtempSync(path.join(os.tmpdir(), "pastoral-tests-"));
  process.env.PASTORAL_TEST_TMP = root;
  process.env.TMPDIR = root;
  process.env.TEMP = root;
  process.env.TMP = root;
}

// Workers inherit this; test/setup/env.ts sets it again inside each worker.
process.env.TZ = "Europe/London";
// One id per `vitest run`, inherited by the worker processes: the page tests build the demo
// site once per run under it (test/helpers/demo-site.ts).
process.env.PASTORAL_TEST_RUN ??= String(Date.now());

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/env.ts"],
    globalSetup: ["test/setup/temp-root.ts"],
    // Framework builds and Chromium are slow on small machines; never assert on time.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    // Child processes (Framework build, Chromium) behave better in forks than threads.
    pool: "forks",
    env: { TZ: "Europe/London" },
  },
});
