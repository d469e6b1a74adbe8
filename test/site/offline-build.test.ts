/**
 * Proves the offline Framework build on a scratch project (independent of
 * reports/): prime the npm cache from node_modules, build (inside a
 * network-less namespace when the machine allows), serve dist/, and render a
 * page using Plot + d3 + Inputs + FileAttachment json/arrow/csv + resize in
 * Chromium with no console error and no request leaving the local server.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tableFromArrays, tableToIPC } from "../../src/commonjs/apache-arrow.ts";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearLoaderCache, repoRoot, runFrameworkBuild, type FrameworkBuildResult } from "../../src/site/build-site.ts";
import { PLACEHOLDER_VERSION, primeFrameworkCache } from "../../src/site/prime-framework-cache.ts";
import { listFiles } from "../../src/site/pupil-scan.ts";
import { serveStatic, type StaticServer } from "../../src/site/serve-static.ts";
import { browserAvailable, expectCleanLoad, launch, openPage } from "../helpers/browser.ts";

const INDEX_MD = `# Offline check

\`\`\`js
const rows = FileAttachment("data/x.json").json();
const table = FileAttachment("data/y.arrow").arrow();
const weeks = FileAttachment("data/z.csv").csv({typed: true});
const loaded = FileAttachment("data/loaded.json").json();
\`\`\`

\`\`\`js
const year = view(Inputs.select(["All", ...rows.map((d) => d.year)], {label: "Year group"}));
\`\`\`

\`\`\`js
display(resize((width) => Plot.plot({
  width,
  height: 240,
  marks: [Plot.barY(rows, {x: "year", y: "count", fill: "steelblue"}), Plot.ruleY([0])]
})));
\`\`\`

\`\`\`js
display(html\`<p id="arrow-rows">\${table.numRows} arrow rows, total \${d3.sum(table.getChild("count").toArray())}</p>\`);
display(html\`<p id="csv-rows">\${weeks.length} csv rows, first \${d3.utcFormat("%Y-%m-%d")(weeks[0].week)}</p>\`);
display(html\`<p id="selected">\${year}</p>\`);
display(html\`<p id="loaded">\${loaded.db}</p>\`);
\`\`\`

[Second page](./second)
`;

const SECOND_MD = `# Second

A second page, to check clean URLs.
`;

const FAKE_DB = path.join(os.tmpdir(), "warehouse-for-offline-test.duckdb");

let work: string;
let project: string;
let srcRoot: string;
let outDir: string;
let build: FrameworkBuildResult;


/** Status of a GET whose request path is sent exactly as given. */
function rawStatus(base: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "pastoral-offline-"));
  project = path.join(work, "project");
  srcRoot = path.join(project, "src");
  outDir = path.join(project, "dist");
  await mkdir(path.join(srcRoot, "data"), { recursive: true });

  // The scratch config takes the real config's offline-relevant settings (no
  // Google Fonts, no DuckDB extensions, tsx interpreter, PASTORAL_OUT_DIR,
  // theme) and nothing tied to reports/ (style, pages, head…).
  await writeFile(path.join(project, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const realConfig = pathToFileURL(path.join(repoRoot, "observablehq.config.ts")).href;
  await writeFile(
    path.join(project, "observablehq.config.ts"),
    [
      `import base from ${JSON.stringify(realConfig)};`,
      `const { output, theme, globalStylesheets, duckdb, interpreters, search } = base;`,
      `export default { output, theme, globalStylesheets, duckdb, interpreters, search, root: "src", title: "Offline check" };`,
      ``,
    ].join("\n"),
  );
  await writeFile(path.join(srcRoot, "index.md"), INDEX_MD);
  await writeFile(path.join(srcRoot, "second.md"), SECOND_MD);
  await writeFile(
    path.join(srcRoot, "data", "x.json"),
    JSON.stringify([
      { year: "Y7", count: 12 },
      { year: "Y8", count: 7 },
      { year: "Y9", count: 15 },
    ]),
  );
  const arrow = tableFromArrays({ year: ["Y7", "Y8", "Y9"], count: Int32Array.from([12, 7, 15]) });
  await writeFile(path.join(srcRoot, "data", "y.arrow"), tableToIPC(arrow, "file"));
  await writeFile(path.join(srcRoot, "data", "z.csv"), "week,incidents\n2024-09-02,4\n2024-09-09,6\n");
  // A TypeScript data loader: run through the config's tsx interpreter, sees the build's env.
  await writeFile(
    path.join(srcRoot, "data", "loaded.json.ts"),
    `const db: string = process.env.PASTORAL_DB ?? "unset";\nprocess.stdout.write(JSON.stringify({ db }));\n`,
  );

  await primeFrameworkCache(srcRoot);
  build = await runFrameworkBuild({
    cwd: project,
    outDir,
    quiet: true,
    isolateNetwork: true,
    env: { PASTORAL_DB: FAKE_DB },
  });
  console.log(
    `offline build: ${(build.durationMs / 1000).toFixed(1)} s${build.networkIsolated ? " with no network (unshare -n)" : ""}`,
  );
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("offline Framework build", () => {
  it("primes one bundle per package, with sibling imports and version placeholders", async () => {
    const npm = path.join(srcRoot, ".observablehq", "cache", "_npm");
    const plot = await readFile(path.join(npm, "@observablehq", "plot@0.6.17", "_esm.js"), "utf8");
    expect(plot).toContain('"../../d3@7.9.2/_esm.js"');
    expect(existsSync(path.join(npm, "d3@7.9.2", "_esm.js"))).toBe(true);
    expect(existsSync(path.join(npm, "apache-arrow@21.2.0", "_esm.js"))).toBe(true);
    expect(existsSync(path.join(npm, `lodash@${PLACEHOLDER_VERSION}`))).toBe(true);
    expect((await readdir(npm)).filter((e) => e.startsWith("apache-arrow@"))).toEqual(["apache-arrow@21.2.0"]);
  });

  it("is idempotent: priming again rewrites nothing", async () => {
    const file = path.join(srcRoot, ".observablehq", "cache", "_npm", "d3@7.9.2", "_esm.js");
    const before = (await stat(file)).mtimeMs;
    await primeFrameworkCache(srcRoot);
    expect((await stat(file)).mtimeMs).toBe(before);
  });

  it("writes a site whose HTML/JS/CSS never references a CDN or Google Fonts", async () => {
    const files = await listFiles(outDir);
    expect(files).toContain("index.html");
    expect(files).toContain("second.html");
    expect(files.some((f) => f.startsWith("_npm/@observablehq/plot@0.6.17/"))).toBe(true);
    expect(files.some((f) => f.startsWith("_npm/apache-arrow@21.2.0/"))).toBe(true);
    expect(files.some((f) => f.includes("duckdb"))).toBe(false);
    const offenders: string[] = [];
    for (const f of files.filter((f) => /\.(html|js|css)$/.test(f))) {
      const text = await readFile(path.join(outDir, f), "utf8");
      for (const needle of ["cdn.jsdelivr", "fonts.googleapis", "registry.npmjs"]) {
        if (text.includes(needle)) offenders.push(`${f}: ${needle}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("runs .ts data loaders with tsx and the build's env; clearLoaderCache forgets them", async () => {
    const files = await listFiles(outDir);
    const loaded = files.find((f) => /^_file\/data\/loaded\.[0-9a-f]+\.json$/.test(f));
    expect(loaded).toBeDefined();
    expect(JSON.parse(await readFile(path.join(outDir, loaded!), "utf8"))).toEqual({ db: FAKE_DB });

    const cache = path.join(srcRoot, ".observablehq", "cache");
    expect(existsSync(path.join(cache, "data", "loaded.json"))).toBe(true);
    await clearLoaderCache(srcRoot);
    expect(existsSync(path.join(cache, "data"))).toBe(false);
    expect(existsSync(path.join(cache, "_npm", "d3@7.9.2", "_esm.js"))).toBe(true);
  });

  it("serves clean URLs", async () => {
    const server = await serveStatic(outDir);
    try {
      const second = await fetch(new URL("second", server.url));
      expect(second.status).toBe(200);
      expect(second.headers.get("content-type")).toMatch(/^text\/html/);
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain("./second");
      expect((await fetch(new URL("nope", server.url))).status).toBe(404);
      // fetch() normalises "..": send the raw request line.
      expect(await rawStatus(server.url, "/%2e%2e/%2e%2e/etc/passwd")).toBe(403);
      expect(await rawStatus(server.url, "/../../etc/passwd")).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!browserAvailable)("offline site in Chromium", () => {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;

  beforeAll(async () => {
    server = await serveStatic(outDir);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders Plot, Inputs, JSON, Arrow and CSV with no error and no off-host request", async () => {
    const { page, consoleErrors, offHostRequests, failedRequests, close } = await openPage(browser!, server!.url);
    try {
      await page.waitForSelector("svg g[aria-label='bar'] rect", { timeout: 30_000 });
      const bars = await page.locator("svg g[aria-label='bar'] rect").count();
      expect(bars).toBe(3);
      await expect.poll(() => page.textContent("#arrow-rows")).toContain("3 arrow rows, total 34");
      await expect.poll(() => page.textContent("#csv-rows")).toContain("2 csv rows, first 2024-09-02");
      expect(await page.locator("select option").count()).toBe(4);
      await expect.poll(() => page.textContent("#selected")).toContain("All");
      await expect.poll(() => page.textContent("#loaded")).toBe(FAKE_DB);
      expectCleanLoad({ consoleErrors, offHostRequests, failedRequests });
    } finally {
      await close();
    }
  });
});
