// Loaded by vitest before every test file (see vitest.config.ts).
// Dates in fixtures, SQL and pages are UK school dates: pin the zone so that
// results do not depend on the machine (CI runs in UTC, a laptop may not).
process.env.TZ = "Europe/London";
