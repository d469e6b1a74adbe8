/**
 * Writes every page-data file of a site before Framework runs, in one process with one
 * warehouse connection, straight into Framework's loader cache:
 *
 *   const summary = await exportPageData({ root: "reports", dbPath, audience: "staff" });
 *
 * Framework would otherwise start one process per loader (tsx, then DuckDB opened, then the
 * query), one after another. Here each data loader of `<root>/data/` (`x.arrow.ts`, `x.tar.ts`)
 * is imported in turn by a child process (`node --import tsx page-data-export.ts <root> [loader…]`; the pupil
 * timelines in a second one beside it, exportGroups; each reports its CPU time and peak memory), with
 * src/page-data/mart-export.ts sending its output to `<root>/.observablehq/cache/data/x.arrow`, or,
 * for an archive, each member to `…/cache/data/x/<member>` (what Framework would extract). Each
 * file is written after the loader's source was last changed, so Framework finds it fresh and
 * runs no loader (its rule: a cached output at least as new as its loader is used). The loaders
 * stay complete Framework data loaders: `observable preview` still runs them one by one.
 *
 * The child inherits PASTORAL_AUDIENCE and reads PASTORAL_DB, as the loaders do under Framework.
 * A loader that fails stops the export with `data loader failed: <reason> (data/<loader>)`.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Audience } from "../page-data/audience.ts";
import { exportLoader, exportSession, warehousePath, type WrittenFile } from "../page-data/mart-export.ts";

const require = createRequire(import.meta.url);

/** A data loader's file name: `x.arrow.ts` (one file) or `x.tar.ts` (an archive of files). */
const LOADER = /^([a-z0-9][a-z0-9-]*)\.(arrow|tar)\.ts$/;

export interface ExportedLoader {
  /** The loader's output, e.g. "watchlist.arrow", "hotspots.tar". */
  name: string;
  ms: number;
  /**
   * CPU seconds of its process while it ran (user + system, every thread: DuckDB's, an encoding
   * worker's). A process runs its loaders one after another, so this is the loader's own; steadier
   * than `ms` while the other export process shares the cores.
   */
  cpuSeconds: number;
  /** Files written, relative to the cache's data folder ("watchlist.arrow", "hotspots/index.arrow"), parts marked. */
  files: WrittenFile[];
}

/** One process's CPU time (user + system, every thread) and peak resident memory, as it reported them on exit. */
export interface ProcessUsage {
  /** What it ran: "page data (pupil-detail.tar)", "framework". */
  name: string;
  cpuSeconds: number;
  peakRssBytes: number;
}

export interface PageDataSummary {
  ms: number;
  loaders: ExportedLoader[];
  /** Each export process's usage (exportPageData: one per process, in the order of exportGroups). */
  processes?: ProcessUsage[];
}

/** This process's usage so far, named. */
export function ownUsage(name: string): ProcessUsage {
  const usage = process.resourceUsage();
  return { name, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssBytes: usage.maxRSS * 1024 };
}

/**
 * The site's loaders in the order its pages name them (pages in alphabetical order, each page's
 * files in source order), then any loader no page names. Framework ran them in about this order;
 * keeping it means a warehouse without marts fails on a mart, as it did.
 */
export function loaderOrder(root: string): string[] {
  const loaders = readdirSync(path.join(root, "data")).filter((f) => LOADER.test(f)).sort();
  const ordered: string[] = [];
  const pages = readdirSync(root).filter((f) => f.endsWith(".md")).sort();
  for (const page of pages) {
    const source = readFileSync(path.join(root, page), "utf8");
    for (const match of source.matchAll(/FileAttachment\(\s*["']\.?\/?data\/([^"'/]+)(\/)?/g)) {
      const loader = match[2] ? `${match[1]}.tar.ts` : `${match[1]}.ts`;
      if (loaders.includes(loader) && !ordered.includes(loader)) ordered.push(loader);
    }
  }
  return [...ordered, ...loaders.filter((l) => !ordered.includes(l))];
}

/** The cache folder Framework reads loader outputs from, for a source root. */
export const loaderCacheData = (root: string): string => path.join(root, ".observablehq", "cache", "data");

/** Where the export leaves the parts of partitioned data (src/page-data/page-parts.ts), to copy into the site's `_file/`. */
export const partsCache = (root: string): string => path.join(root, ".observablehq", "cache", "_parts");

/** Where the export leaves the loaders' build state (src/page-data/mart-export.ts, emitBuildState), to copy into the site's `.pastoral-build/`. */
export const stateCache = (root: string): string => path.join(root, ".observablehq", "cache", "_state");

/** In this process: imports each loader of `root` (or those named, in that order) with its output sent into the loader cache. */
export async function exportInProcess(root: string, dbPath: string, only?: readonly string[]): Promise<PageDataSummary> {
  const started = performance.now();
  const loaders: ExportedLoader[] = [];
  await exportSession(dbPath, async () => {
    for (const file of only ?? loaderOrder(root)) {
      const name = file.slice(0, -".ts".length);
      const cachePath = path.join(loaderCacheData(root), name.endsWith(".tar") ? name.slice(0, -".tar".length) : name);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const url = pathToFileURL(path.join(root, "data", file)).href;
      let files;
      try {
        files = await exportLoader(name, cachePath, () => import(url));
      } catch (error) {
        const reason = (error as Error).message.split("\n")[0];
        throw new Error(`data loader failed: ${reason} (data/${file})`);
      }
      const cpu = process.cpuUsage(cpu0);
      loaders.push({ name, ms: Math.round(performance.now() - t0), cpuSeconds: (cpu.user + cpu.system) / 1e6, files });
    }
  });
  return { ms: Math.round(performance.now() - started), loaders };
}

/**
 * Loaders that get a process of their own, run beside the one doing all the others: the pupil
 * timelines are most of a trust's page data (mostly one thread of JavaScript), and the other
 * loaders together take about half as long, so on two cores the export takes about as long as
 * the timelines alone.
 */
const OWN_PROCESS = new Set(["pupil-detail.tar.ts"]);

/** The loaders of a root in the processes that export them: the others first, then each heavy one alone. */
export function exportGroups(root: string): string[][] {
  const order = loaderOrder(root);
  const heavy = order.filter((l) => OWN_PROCESS.has(l));
  const rest = order.filter((l) => !OWN_PROCESS.has(l));
  return [rest, ...heavy.map((l) => [l])].filter((g) => g.length > 0);
}

/** The line the child prints its summary on (anything else on its stdout is a library's logging). */
const SUMMARY = "page-data-summary ";

/**
 * Runs the export for one site root in child processes (each its own memory, its own module
 * cache, the audience and warehouse in its environment, the warehouse opened read-only by each):
 * the heavy loaders (OWN_PROCESS) each in one, beside one for all the others. Rejects with the
 * one-line reason of the failed loader that comes first in the pages' order. The summary lists
 * the loaders in that order.
 */
export async function exportPageData(opts: { root: string; dbPath: string; audience: Audience; env?: Readonly<Record<string, string>> }): Promise<PageDataSummary> {
  const started = performance.now();
  const groups = exportGroups(opts.root);
  const results = await Promise.allSettled(groups.map((loaders) => exportChild(opts, loaders)));
  const order = loaderOrder(opts.root);
  const failures = results
    .map((r, i) => ({ r, first: Math.min(...groups[i].map((l) => order.indexOf(l))) }))
    .filter((x): x is { r: PromiseRejectedResult; first: number } => x.r.status === "rejected")
    .sort((a, b) => a.first - b.first);
  if (failures.length > 0) throw failures[0].r.reason;
  const done = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const loaders = done.flatMap((r) => r.loaders);
  const position = (l: ExportedLoader) => order.findIndex((file) => file.slice(0, -".ts".length) === l.name);
  return {
    ms: Math.round(performance.now() - started),
    loaders: loaders.sort((a, b) => position(a) - position(b)),
    processes: done.flatMap((r) => r.processes ?? []),
  };
}

/** One child process exporting the loaders named (`node --import tsx page-data-export.ts <root> <loader>…`). */
async function exportChild(opts: { root: string; dbPath: string; audience: Audience; env?: Readonly<Record<string, string>> }, loaders: readonly string[]): Promise<PageDataSummary> {
  // tsx as an --import hook in the one process (its CLI would start a second process to relay to).
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const script = fileURLToPath(import.meta.url);
  const env = { ...process.env, ...opts.env, PASTORAL_DB: path.resolve(opts.dbPath), PASTORAL_AUDIENCE: opts.audience };
  const child = spawn(process.execPath, ["--import", tsx, script, path.resolve(opts.root), ...loaders], { env, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-100_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c) => resolve(c));
  });
  const line = stdout.split("\n").find((l) => l.startsWith(SUMMARY));
  if (code !== 0 || !line) {
    const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== "");
    throw new Error(lines.filter((l) => l.includes("data loader failed:")).at(-1)?.trim() ?? lines.at(-1) ?? `page-data export exited with code ${code}`);
  }
  return JSON.parse(line.slice(SUMMARY.length)) as PageDataSummary;
}

/** `node --import tsx src/site/page-data-export.ts <root> [loader…]`: the child's side. */
async function main(): Promise<void> {
  // Libraries that log (Kysely's notices) must not mix with the summary line.
  console.log = console.info = console.debug = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
  const [root, ...only] = process.argv.slice(2);
  if (!root || !existsSync(path.join(root, "data"))) throw new Error(`usage: page-data-export.ts <site root with a data/ folder> [loader.ts …] (got ${root ?? "nothing"})`);
  const summary = await exportInProcess(root, warehousePath(), only.length > 0 ? only : undefined);
  const named = only.length > 0 && only.length <= 2 ? only.map((l) => l.replace(/\.ts$/, "")).join(", ") : `${summary.loaders.length} loaders`;
  process.stdout.write(`${SUMMARY}${JSON.stringify({ ...summary, processes: [ownUsage(`page data (${named})`)] })}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
