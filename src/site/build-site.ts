/**
 * Offline build of the Observable Framework site.
 *
 *   await buildSite({ dbPath: "warehouse.duckdb" });                          // staff → <repo>/dist
 *   await buildSite({ dbPath: "warehouse.duckdb", audience: "governors" });   // → <repo>/dist-governors
 *   await runFrameworkBuild({ cwd, outDir, env });             // any Framework project
 *
 * The Framework CLI runs as a child process (`process.execPath` + its bin
 * script, no shell). Its config must take the output directory from
 * `process.env.PASTORAL_OUT_DIR` (observablehq.config.ts does).
 *
 * A site is never half-replaced: buildSite builds into a new sibling folder and renames it
 * into place only when the build is complete, so a failed build leaves the previous site as
 * it was. Its error is one line naming the cause (BuildError.message); the build log's tail
 * is in BuildError.detail.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { copyFile, cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openWarehouse } from "../warehouse/warehouse.ts";
import { AUDIENCE_DEFINITIONS, audienceIndexMarkdown, audienceRoot, type Audience } from "./audiences.ts";
import { addContentSecurityPolicy } from "./csp.ts";
import { findPackageDir, primeFrameworkCache, repoRoot } from "./prime-framework-cache.ts";
import { ensurePseudonymKey } from "../page-data/pseudonym.ts";
import { pupilsFromWarehouse, scanForPupils } from "./pupil-scan.ts";
import { exportPageData, partsCache, stateCache, type PageDataSummary, type ProcessUsage } from "./page-data-export.ts";
import { BUILD_STATE_DIR } from "../page-data/build-state.ts";
import { buildDataOnly, partFolders, recordSiteShell, siteShellFingerprint } from "./data-only-build.ts";
import { linkOrCopy } from "./site-files.ts";

/** Preloaded into the Framework build when its usage is asked for (runFrameworkBuild's `reportUsage`). */
const REPORT_USAGE = fileURLToPath(new URL("./report-usage.mjs", import.meta.url));

export { repoRoot };

/** Framework source root of this repository (matches `root` in observablehq.config.ts). */
export const reportsRoot: string = path.join(repoRoot, "reports");

const BUILD_LOCK = "_pastoral-build.lock";

/** Cache entries kept by clearLoaderCache: downloads (and our lock). The rest are loader outputs and client bundles. */
const KEPT_CACHE_ENTRIES = new Set(["_npm", "_jsr", "_duckdb", BUILD_LOCK]);

export interface FrameworkBuildOptions {
  /** Working directory of the build; the config is looked up here. */
  cwd: string;
  /** Output directory; emptied first. Passed to the config as PASTORAL_OUT_DIR. */
  outDir: string;
  /** Framework `--root` (relative to cwd; by default the config's `root`). */
  root?: string;
  /** Framework `--config` path (by default observablehq.config.{js,ts} in cwd). */
  config?: string;
  /** Extra environment for the build and its data loaders. */
  env?: Readonly<Record<string, string>>;
  /** Do not echo the build's output. */
  quiet?: boolean;
  /**
   * Run the build without any network (Linux `unshare -n`, or `unshare -rn`
   * when not root) when the machine allows it; silently not otherwise.
   */
  isolateNetwork?: boolean;
  /** Have the build's process report its CPU time and peak memory (FrameworkBuildResult.usage; src/site/report-usage.mjs). */
  reportUsage?: boolean;
}

export interface FrameworkBuildResult {
  /** Wall-clock duration of the build child process. */
  durationMs: number;
  /** Whether the build ran in a network namespace with no network at all. */
  networkIsolated: boolean;
  /** With `reportUsage`: the build process's CPU time and peak memory (not esbuild's service process, which it starts). */
  usage?: ProcessUsage;
}

export interface BuildSiteOptions {
  /** DuckDB warehouse the data loaders read (passed as PASTORAL_DB, absolute). */
  dbPath: string;
  /** Who the site is for (src/site/audiences.ts). Default staff. */
  audience?: Audience;
  /** Default `<repo>/dist` for staff, `<repo>/dist-<audience>` for the others. */
  outDir?: string;
  quiet?: boolean;
  /** Build with no network at all where Linux allows it (see runFrameworkBuild). Default false. */
  isolateNetwork?: boolean;
  /**
   * Take the pupil timelines' parts that did not change from the site being replaced (`outDir`,
   * staff builds only: src/page-data/timeline-reuse.ts). Default true; the output is the same
   * either way.
   */
  reuse?: boolean;
  /** Told how long each step took, in order: prepare, page data, framework, csp, pupil scan (not staff), swap. */
  onPhase?: (phase: BuildPhase, ms: number, detail?: PageDataSummary) => void;
  /** Told each child process's CPU time and peak memory as it ends (the page-data export's, Framework's): for benchmarks. */
  onUsage?: (usage: ProcessUsage) => void;
}

/** "data only": the previous site with new page data, no Framework build (src/site/data-only-build.ts). */
export type BuildPhase = "prepare" | "page data" | "framework" | "data only" | "csp" | "pupil scan" | "swap";

function frameworkBin(): string {
  const dir = findPackageDir("@observablehq/framework", repoRoot);
  if (!dir) throw new Error("@observablehq/framework is not installed (run npm ci)");
  return path.join(dir, "dist", "bin", "observable.js");
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Last `maxLines` non-empty lines of a text. */
function tail(text: string, maxLines = 40): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.slice(-maxLines).join("\n");
}

/**
 * Empty Framework's data-loader cache (`<root>/.observablehq/cache`) but keep
 * the npm/jsr/duckdb download caches. `observable build` never re-runs a
 * loader whose output is cached, even when the warehouse changed.
 */
export async function clearLoaderCache(root: string): Promise<void> {
  const cacheDir = path.join(root, ".observablehq", "cache");
  let entries: string[];
  try {
    entries = await readdir(cacheDir);
  } catch {
    return;
  }
  // Synchronous, as linkOrCopy: a trust's cache holds 14,000 parts, and each unlink through the
  // thread pool cost about twice the CPU (docs/performance.md, "Session 43").
  for (const e of entries.filter((e) => !KEPT_CACHE_ENTRIES.has(e))) rmSync(path.join(cacheDir, e), { recursive: true, force: true });
}

let unshareArgs: readonly string[] | null | undefined;

/** `unshare` arguments that give a network-less namespace here, or null. */
export function networkIsolationArgs(): readonly string[] | null {
  if (unshareArgs !== undefined) return unshareArgs;
  unshareArgs = null;
  if (process.platform === "linux") {
    for (const flags of [["-n"], ["-rn"]]) {
      const probe = spawnSync("unshare", [...flags, process.execPath, "-e", ""], { stdio: "ignore", timeout: 10_000 });
      if (probe.status === 0) {
        unshareArgs = flags;
        break;
      }
    }
  }
  return unshareArgs;
}

/** Run `observable build` in `cwd`. Assumes the npm cache is already primed. */
export async function runFrameworkBuild(opts: FrameworkBuildOptions): Promise<FrameworkBuildResult> {
  const cwd = path.resolve(opts.cwd);
  const outDir = path.resolve(cwd, opts.outDir);
  if (isInside(outDir, cwd) || isInside(outDir, repoRoot)) {
    throw new Error(`refusing to use ${outDir} as the build output: it contains ${cwd} or ${repoRoot}`);
  }
  // Framework only empties an output inside cwd, and fails on any existing file.
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.dirname(outDir), { recursive: true });
  // Relative when inside cwd: Framework joins paths with POSIX rules (Windows-safe).
  const outArg = isInside(cwd, outDir) ? path.relative(cwd, outDir).split(path.sep).join("/") : outDir;

  const usageFile = opts.reportUsage ? path.join(os.tmpdir(), `pastoral-usage-${process.pid}-${Date.now()}.json`) : null;
  const buildArgs = [...(usageFile ? ["--import", pathToFileURL(REPORT_USAGE).href] : []), frameworkBin(), "build"];
  if (opts.root !== undefined) buildArgs.push("--root", opts.root);
  if (opts.config !== undefined) buildArgs.push("--config", opts.config);
  const isolation = opts.isolateNetwork ? networkIsolationArgs() : null;
  const command = isolation ? "unshare" : process.execPath;
  const args = isolation ? [...isolation, "--", process.execPath, ...buildArgs] : buildArgs;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    PASTORAL_OUT_DIR: outArg,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    NO_COLOR: "1",
    ...(usageFile && { PASTORAL_USAGE_FILE: usageFile }),
  };
  delete env.FORCE_COLOR;

  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
  let stdout = "";
  let stderr = "";
  const keep = (acc: string, chunk: string): string => {
    const next = acc + chunk;
    return next.length > 200_000 ? next.slice(-100_000) : next;
  };
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout = keep(stdout, chunk);
    if (!opts.quiet) process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: string) => {
    stderr = keep(stderr, chunk);
    if (!opts.quiet) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c, signal) => resolve(signal ? null : c));
  });
  const durationMs = performance.now() - started;
  let usage: ProcessUsage | undefined;
  if (usageFile) {
    const reported = await readFile(usageFile, "utf8").catch(() => null);
    await rm(usageFile, { force: true });
    if (reported) usage = { name: "framework", ...(JSON.parse(reported) as Omit<ProcessUsage, "name">) };
  }

  if (code !== 0) {
    const detail = tail(stderr) || tail(stdout, 20) || "(no output)";
    throw new BuildError(failureCause(`${stdout}\n${stderr}`, code), `observable build failed (exit ${code ?? "signal"}) in ${cwd}:\n${detail}`);
  }
  if (!existsSync(outDir) || (await readdir(outDir)).length === 0) {
    throw new Error(
      `observable build wrote nothing to ${outDir}: does the config set output from process.env.PASTORAL_OUT_DIR?\n${tail(stdout, 20)}`,
    );
  }
  return { durationMs, networkIsolated: isolation !== null, ...(usage && { usage }) };
}

/** A failed build: `message` is one line naming the cause; `detail` is the end of the build log. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
    this.name = "BuildError";
  }
}

/** Framework's closing advice, never a cause. */
const NOT_A_CAUSE = /^(Tip:|To see the full stack trace|\s*at |\s*$)/;

/**
 * The one line of a failed build's log that says why: a data loader's own message
 * (`data loader failed: …`, from src/page-data/mart-export.ts), else Framework's error line,
 * else the last line that is not Framework's "Tip: … --debug".
 */
export function failureCause(log: string, code: number | null): string {
  const lines = log.split(/\r?\n/).map((l) => l.trim()).filter((l) => !NOT_A_CAUSE.test(l));
  const loader = lines.filter((l) => l.includes("data loader failed:")).at(-1);
  if (loader) return loader.slice(loader.indexOf("data loader failed:"));
  const error = lines.filter((l) => /\b[A-Z][A-Za-z]*Error\b|^error\b|\bfailed\b|✗/i.test(l)).at(-1);
  const line = error ?? lines.at(-1);
  return line ? `observable build: ${line}` : `observable build exited with ${code === null ? "a signal" : `code ${code}`} and no message`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Cross-process lock (a directory: mkdir is atomic everywhere), so that two
 * test files building the site at once take turns instead of fighting over
 * the loader cache and dist/. A lock whose owner died is taken over.
 * (Builds into one outDir still replace each other's output, in turn.)
 */
async function withBuildLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const owner = path.join(lockDir, "owner");
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(await readFile(owner, "utf8").catch(() => ""));
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      const stale =
        (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) ||
        (!(pid > 0) && age > 60_000) || // owner killed between mkdir and writing its pid
        age > 30 * 60_000; // no build takes this long: a reused pid
      if (stale) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/**
 * Writes an audience's Framework root (not staff's: that is reports/): its index, its pages,
 * the shared components and stylesheet, and only the data loaders its pages read. The
 * `.observablehq/cache` inside (primed npm bundles) is kept between builds.
 */
export async function writeAudienceRoot(audience: Exclude<Audience, "staff">): Promise<string> {
  const def = AUDIENCE_DEFINITIONS[audience];
  const root = audienceRoot(repoRoot, audience);
  await mkdir(root, { recursive: true });
  for (const entry of await readdir(root)) {
    if (entry !== ".observablehq") await rm(path.join(root, entry), { recursive: true, force: true });
  }
  await writeFile(path.join(root, "index.md"), audienceIndexMarkdown(def));
  await copyFile(path.join(reportsRoot, "style.css"), path.join(root, "style.css"));
  await cp(path.join(reportsRoot, "components"), path.join(root, "components"), { recursive: true });
  await mkdir(path.join(root, "data"));
  const loaders = new Set<string>();
  for (const page of def.pages ?? []) {
    const source = await readFile(path.join(reportsRoot, `${page.path}.md`), "utf8");
    await writeFile(path.join(root, `${page.path}.md`), source);
    for (const match of source.matchAll(/FileAttachment\(\s*["']\.?\/?data\/([^"'/]+)(\/)?/g)) {
      loaders.add(match[2] ? `${match[1]}.tar.ts` : `${match[1]}.ts`);
    }
  }
  for (const loader of loaders) {
    const from = path.join(reportsRoot, "data", loader);
    if (!existsSync(from)) throw new BuildError(`the ${audience} build needs the data loader reports/data/${loader}, which does not exist`);
    await copyFile(from, path.join(root, "data", loader));
  }
  return root;
}

/**
 * Puts every file under `from` at the same place under `to`, each by linkOrCopy (a hard link
 * where the file system allows, else a copy). The loader cache is emptied before the next build,
 * which leaves the site's links whole.
 */
function linkOrCopyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkOrCopyTree(source, target);
    else linkOrCopy(source, target);
  }
}

/** Opens the warehouse read-only once, so a locked or unreadable one is named before Framework starts. */
async function checkWarehouseReadable(dbPath: string): Promise<void> {
  try {
    const warehouse = await openWarehouse(dbPath, { readOnly: true });
    warehouse.close();
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    const locked = /lock/i.test(message);
    throw new BuildError(
      locked
        ? `the warehouse ${dbPath} is locked by another process (an import or a model run still going?): ${message}`
        : `the warehouse ${dbPath} cannot be read: ${message}`,
    );
  }
}

/**
 * A leaders', governors' or trust build must hold no pupil's name, MIS id or UPN (src/site/pupil-scan.ts):
 * checked against every pupil in the warehouse before the build may replace the previous one.
 */
async function checkNoPupilIn(dir: string, dbPath: string, audience: Audience): Promise<void> {
  const warehouse = await openWarehouse(dbPath, { readOnly: true });
  let pupils;
  try {
    pupils = await pupilsFromWarehouse(warehouse.connection);
  } finally {
    warehouse.close();
  }
  const { findings } = await scanForPupils(dir, pupils);
  if (findings.length > 0) {
    const first = findings[0];
    throw new BuildError(
      `the ${audience} build would contain pupil data (${findings.length} finding(s), first: a pupil ${first.kind} in ${first.file}); nothing was replaced`,
    );
  }
}

/**
 * Puts a complete build in place: the old site (if any) is moved aside, the new one renamed to
 * its name, then the old one removed. If the second rename fails the old site is put back.
 */
export async function swapInto(built: string, outDir: string): Promise<void> {
  const aside = `${outDir}.old-${process.pid}-${Date.now()}`;
  const hadOld = existsSync(outDir);
  if (hadOld) await rename(outDir, aside);
  try {
    await rename(built, outDir);
  } catch (error) {
    if (hadOld) await rename(aside, outDir);
    throw error;
  }
  if (hadOld) rmSync(aside, { recursive: true, force: true });
}

/** Removes `<out>.building-<pid>` / `<out>.old-<pid>-…` folders left by builds that were killed (their process is gone). */
async function removeAbandonedSiblings(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`${base}.`)) continue;
    const match = /^\.(?:building-(\d+)|old-(\d+)-\d+)$/.exec(entry.slice(base.length));
    const pid = Number(match?.[1] ?? match?.[2]);
    if (match && pid !== process.pid && !processAlive(pid)) await rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Builds one audience's site: clears the loader cache, primes the npm cache, builds into a new
 * folder beside `outDir`, and swaps it in when complete. A failure leaves `outDir` untouched.
 */
export async function buildSite(opts: BuildSiteOptions): Promise<void> {
  const dbPath = path.resolve(opts.dbPath);
  if (!existsSync(dbPath)) throw new BuildError(`warehouse not found: ${dbPath}`);
  const audience = opts.audience ?? "staff";
  const outDir = path.resolve(opts.outDir ?? path.join(repoRoot, AUDIENCE_DEFINITIONS[audience].defaultOutDir));
  await checkWarehouseReadable(dbPath);
  // The trust build's pseudonyms need the warehouse's key: made once, kept in the warehouse.
  if (audience === "trust") await ensurePseudonymKey(dbPath);
  const root = audience === "staff" ? reportsRoot : audienceRoot(repoRoot, audience);
  const building = `${outDir}.building-${process.pid}`;
  let started = performance.now();
  const phase = (name: BuildPhase, detail?: PageDataSummary) => {
    const now = performance.now();
    opts.onPhase?.(name, now - started, detail);
    started = now;
  };
  await withBuildLock(path.join(root, ".observablehq", "cache", BUILD_LOCK), async () => {
    await removeAbandonedSiblings(outDir);
    if (audience !== "staff") await writeAudienceRoot(audience);
    await clearLoaderCache(root);
    await primeFrameworkCache(root);
    // What Framework would render, but the data: a staff rebuild with it unchanged needs no Framework build.
    const shell = audience === "staff" ? await siteShellFingerprint(root, audience) : null;
    phase("prepare");
    try {
      // Every page-data file, from one process and one warehouse connection, into the loader
      // cache: Framework then finds them fresh and starts no loader (src/site/page-data-export.ts).
      let pageData: PageDataSummary;
      try {
        // The site being replaced, whose unchanged timeline parts the export may reuse (staff only:
        // no other audience's build has them, and none may read a staff site).
        const previous = audience === "staff" && opts.reuse !== false && existsSync(outDir) ? { PASTORAL_PREVIOUS_SITE: outDir } : undefined;
        pageData = await exportPageData({ root, dbPath, audience, env: previous });
      } catch (error) {
        throw new BuildError((error as Error).message);
      }
      for (const usage of pageData.processes ?? []) opts.onUsage?.(usage);
      phase("page data", pageData);
      // With only the data changed since the site being replaced was built, that site with the
      // new data files (staff only, as the parts' reuse); else a Framework build.
      const dataOnly = shell !== null && opts.reuse !== false && existsSync(outDir) && (await buildDataOnly({ root, previous: outDir, building, shell }));
      if (!dataOnly) {
        await rm(building, { recursive: true, force: true });
        const framework = await runFrameworkBuild({
          cwd: repoRoot,
          outDir: building,
          env: { PASTORAL_DB: dbPath, PASTORAL_AUDIENCE: audience, PASTORAL_ROOT: path.relative(repoRoot, root).split(path.sep).join("/") },
          quiet: opts.quiet,
          isolateNetwork: opts.isolateNetwork,
          reportUsage: opts.onUsage !== undefined,
        });
        if (framework.usage) opts.onUsage?.(framework.usage);
      }
      // The parts of partitioned page data (src/page-data/page-parts.ts), which no page names:
      // beside their index, where reports/components/file-cache.js (partsOf) fetches them.
      if (existsSync(partsCache(root))) linkOrCopyTree(partsCache(root), path.join(building, "_file"));
      // The loaders' notes for the next build of this site (hashes only; never served), staff only.
      if (audience === "staff" && existsSync(stateCache(root))) linkOrCopyTree(stateCache(root), path.join(building, BUILD_STATE_DIR));
      if (shell !== null) await recordSiteShell(building, shell, await partFolders(partsCache(root)));
      phase(dataOnly ? "data only" : "framework");
      // Every page carries its Content-Security-Policy (src/site/csp.ts).
      await addContentSecurityPolicy(building);
      phase("csp");
      if (audience !== "staff") {
        await checkNoPupilIn(building, dbPath, audience);
        phase("pupil scan");
      }
      await swapInto(building, outDir);
      phase("swap");
    } finally {
      await rm(building, { recursive: true, force: true });
    }
  });
}
