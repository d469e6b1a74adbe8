import { defineConfig } from "vitest/config";

// Workers inherit this; test/setup/env.ts sets it again inside each worker.
process.env.TZ = "Europe/London";
// One id per `vitest run`, inherited by the worker processes: the page tests build the demo
// site once per run under it (test/helpers/demo-site.ts).
process.env.PASTORAL_TEST_RUN ??= String(Date.now());

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/env.ts"],
    // Framework builds and Chromium are slow on small machines; never assert on time.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    // Child processes (Framework build, Chromium) behave better in forks than threads.
    pool: "forks",
    env: { TZ: "Europe/London" },
  },
});
