/**
 * Offline build of the Observable Framework site.
 *
 *   await buildSite({ dbPath: "warehouse.duckdb" });           // → <repo>/dist
 *   await runFrameworkBuild({ cwd, outDir, env });             // any Framework project
 *
 * The Framework CLI runs as a child process (`process.execPath` + its bin
 * script, no shell). Its config must take the output directory from
 * `process.env.PASTORAL_OUT_DIR` (observablehq.config.ts does).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { addContentSecurityPolicy } from "./csp.ts";
import { findPackageDir, primeFrameworkCache, repoRoot } from "./prime-framework-cache.ts";

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
}

export interface FrameworkBuildResult {
  /** Wall-clock duration of the build child process. */
  durationMs: number;
  /** Whether the build ran in a network namespace with no network at all. */
  networkIsolated: boolean;
}

export interface BuildSiteOptions {
  /** DuckDB warehouse the data loaders read (passed as PASTORAL_DB, absolute). */
  dbPath: string;
  /** Default `<repo>/dist`. */
  outDir?: string;
  quiet?: boolean;
  /** Build with no network at all where Linux allows it (see runFrameworkBuild). Default false. */
  isolateNetwork?: boolean;
}

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
  await Promise.all(
    entries
      .filter((e) => !KEPT_CACHE_ENTRIES.has(e))
      .map((e) => rm(path.join(cacheDir, e), { recursive: true, force: true })),
  );
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

  const buildArgs = [frameworkBin(), "build"];
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

  if (code !== 0) {
    const detail = tail(stderr) || tail(stdout, 20) || "(no output)";
    throw new Error(`observable build failed (exit ${code ?? "signal"}) in ${cwd}:\n${detail}`);
  }
  if (!existsSync(outDir) || (await readdir(outDir)).length === 0) {
    throw new Error(
      `observable build wrote nothing to ${outDir}: does the config set output from process.env.PASTORAL_OUT_DIR?\n${tail(stdout, 20)}`,
    );
  }
  return { durationMs, networkIsolated: isolation !== null };
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

/** Clear loader cache, prime the npm cache, build `reports/` into `outDir` (default `<repo>/dist`). */
export async function buildSite(opts: BuildSiteOptions): Promise<void> {
  const dbPath = path.resolve(opts.dbPath);
  if (!existsSync(dbPath)) throw new Error(`buildSite: warehouse not found: ${dbPath}`);
  const outDir = path.resolve(opts.outDir ?? path.join(repoRoot, "dist"));
  await withBuildLock(path.join(reportsRoot, ".observablehq", "cache", BUILD_LOCK), async () => {
    await clearLoaderCache(reportsRoot);
    await primeFrameworkCache(reportsRoot);
    await runFrameworkBuild({
      cwd: repoRoot,
      outDir,
      env: { PASTORAL_DB: dbPath },
      quiet: opts.quiet,
      isolateNetwork: opts.isolateNetwork,
    });
    // Every page carries its Content-Security-Policy (src/build/csp.ts).
    await addContentSecurityPolicy(outDir);
  });
}
