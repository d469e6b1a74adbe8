/**
 * A site rebuilt with new page data only: when nothing Framework renders has changed since the
 * site being replaced was built (its pages, components, stylesheet, configuration, the build's
 * own code and the installed packages), the new site is the previous one with its data files
 * swapped, not a Framework build.
 *
 *   const shell = await siteShellFingerprint(root, audience);        // before the export
 *   const done = await buildDataOnly({ root, previous: outDir, building, shell });
 *   if (!done) await runFrameworkBuild(…);                           // then, either way:
 *   await recordSiteShell(building, shell, partDirs);
 *
 * Why it is safe: a Framework page names each data file it reads in one `registerFile(name,
 * {name, mimeType, path, lastModified, size})` call of its inline module, where `path` is the
 * file's copy in `_file/` with the first 8 hex digits of its SHA-256 before the extension
 * (Framework 1.13.4, build.js: applyHash), and `lastModified` and `size` are the loader output's
 * (its mtime, floored, and bytes). Nothing else in the output depends on the data. So the new
 * site is: every file of the previous one but its data (the registered files and the parts'
 * folders, both recorded), linked; each page's registerFile calls rewritten for the new data; the
 * new data files written under the names Framework would give them. test/site/data-only-build.test.ts
 * checks it against a clean Framework build of the same warehouse, page by page.
 *
 * Anything unexpected (no record, another fingerprint, a page naming a file the export did not
 * write, a path not of Framework's form, a data file named outside a page's registerFile calls or
 * in a module of the site's own) returns false and the caller runs Framework. Staff
 * builds only, as the loaders' reuse of parts (src/page-data/year-parts-reuse.ts): a weekly
 * refresh rebuilds the staff site; the other audiences' builds are termly.
 *
 * Measured (docs/performance.md, "Session 30"): Framework took 5.0–5.4 CPU s of every build,
 * the data or not; this takes a fraction of that.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { BUILD_STATE_DIR } from "../page-data/build-state.ts";
import { findPackageDir, repoRoot } from "./prime-framework-cache.ts";
import { filesUnder, linkOrCopy } from "./site-files.ts";

/** Bumped when what the record means, or how pages are patched, changes. */
const RECORD_VERSION = 1;

/** The record of a built site's shell, in its build state (`.pastoral-build/site.json`). */
const RECORD = "site.json";

interface SiteRecord {
  version: number;
  /** siteShellFingerprint of the sources the site was built from. */
  shell: string;
  /** Folders under `_file/` that hold only page data (the parts' folders, src/page-data/page-parts.ts), site-relative with "/". */
  partDirs: string[];
}

const sha256 = (bytes: string | Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * A hash of everything Framework's output depends on but the page data: the root's files but its
 * `data/` (the loaders, whose outputs are the data) and `.observablehq/` (caches); the Framework
 * configuration; the site build's code (src/site/, where the config's pages and audiences are);
 * the installed packages as the lockfile pins them (Framework, the npm bundles primed into its
 * cache); the audience. Files are read whole (a staff root is about 0.5 MB).
 */
export async function siteShellFingerprint(root: string, audience: string): Promise<string> {
  const hash = createHash("sha256").update(`v${RECORD_VERSION}\0${audience}\0`);
  const frameworkDir = findPackageDir("@observablehq/framework", repoRoot);
  const sources: Array<[string, string]> = [
    ...(await filesUnder(root, new Set(["data", ".observablehq"]))).map((f): [string, string] => [`root/${f}`, path.join(root, f)]),
    ...(await filesUnder(path.join(repoRoot, "src", "site"))).map((f): [string, string] => [`src/site/${f}`, path.join(repoRoot, "src", "site", f)]),
    ...["observablehq.config.ts", "package.json", "package-lock.json"].map((f): [string, string] => [f, path.join(repoRoot, f)]),
    ...(frameworkDir ? [["framework/package.json", path.join(frameworkDir, "package.json")] as [string, string]] : []),
  ];
  for (const [name, file] of sources) {
    const bytes = existsSync(file) ? await readFile(file) : null;
    hash.update(`${name}\0${bytes ? sha256(bytes) : "missing"}\0`);
  }
  return hash.digest("hex");
}

/** Records, in the built site's state, the shell it was built from and which folders are data. */
export async function recordSiteShell(site: string, shell: string, partDirs: readonly string[]): Promise<void> {
  const record: SiteRecord = { version: RECORD_VERSION, shell, partDirs: [...partDirs].sort() };
  await mkdir(path.join(site, BUILD_STATE_DIR), { recursive: true });
  await writeFile(path.join(site, BUILD_STATE_DIR, RECORD), JSON.stringify(record));
}

/** The folders directly under a parts cache (`data/<loader>`, "/"-separated), which the site holds under `_file/`. */
export async function partFolders(partsDir: string): Promise<string[]> {
  if (!existsSync(partsDir)) return [];
  const out: string[] = [];
  for (const top of await readdir(partsDir, { withFileTypes: true })) {
    if (!top.isDirectory()) continue;
    for (const sub of await readdir(path.join(partsDir, top.name), { withFileTypes: true })) {
      if (sub.isDirectory()) out.push(`${top.name}/${sub.name}`);
    }
  }
  return out.sort();
}

async function readRecord(site: string): Promise<SiteRecord | null> {
  try {
    const record = JSON.parse(await readFile(path.join(site, BUILD_STATE_DIR, RECORD), "utf8")) as SiteRecord;
    const valid = record.version === RECORD_VERSION && typeof record.shell === "string" && Array.isArray(record.partDirs) && record.partDirs.every((d) => typeof d === "string");
    return valid ? record : null;
  } catch {
    return null;
  }
}

/** One `registerFile("name", {…});` of a built page: the name as written and the object. */
const REGISTER_FILE = /registerFile\(("(?:[^"\\\n]|\\.)*"), (\{[^{}\n]*\})\);/g;

/** A page without its registerFile calls. */
const outsideRegisterFile = (html: string): string => html.replace(REGISTER_FILE, "");

/** Framework's applyHash for a file: `dir/name.ext` → `dir/name.<hash>.ext`. */
function hashedName(file: string, hash: string): string {
  const ext = path.posix.extname(file);
  const name = path.posix.basename(file, ext);
  return path.posix.join(path.posix.dirname(file), `${name && `${name}.`}${hash}${ext}`);
}

/** Framework's relativePath: from a page (site-relative, no extension) to a site path. */
function relativeFrom(page: string, target: string): string {
  const from = path.posix.join("/", page).split(/\/+/g).slice(0, -1);
  const to = path.posix.join("/", target).split(/\/+/g);
  const file = to.pop() as string;
  let i = 0;
  while (i < Math.min(from.length, to.length) && from[i] === to[i]) ++i;
  const up = from.length - i;
  return (up ? "../".repeat(up) : "./") + [...to.slice(i), file].join("/");
}

/** A new data file of the site: where it goes and what a page's registerFile says of it. */
interface DataFile {
  source: string;
  alias: string;
  lastModified: number;
  size: number;
}

/**
 * Builds `building` as the previous site (`previous`) with the page data now in the loader cache
 * (see the module comment). False, with nothing promised about `building` (the caller empties
 * it), when the previous site's record does not match `shell` or anything is not as expected.
 */
export async function buildDataOnly(o: { root: string; previous: string; building: string; shell: string }): Promise<boolean> {
  const record = await readRecord(o.previous);
  if (!record || record.shell !== o.shell) return false;
  const cache = path.join(o.root, ".observablehq", "cache");
  const files = await filesUnder(o.previous, new Set([BUILD_STATE_DIR]));
  const pages = files.filter((f) => f.endsWith(".html"));
  if (pages.length === 0) return false;

  // Each page's registered files, and where each one's new bytes are.
  const data = new Map<string, DataFile>();
  const oldPaths = new Set<string>();
  const patched = new Map<string, string>();
  for (const page of pages) {
    const html = await readFile(path.join(o.previous, page), "utf8");
    const pagePath = page.slice(0, -".html".length);
    const replacements: Array<{ at: number; length: number; text: string }> = [];
    for (const match of html.matchAll(REGISTER_FILE)) {
      let name: string;
      let info: Record<string, unknown>;
      try {
        name = JSON.parse(match[1]) as string;
        info = JSON.parse(match[2]) as Record<string, unknown>;
      } catch {
        return false;
      }
      if (info.name !== name || typeof info.path !== "string") return false;
      // The file, site-relative ("data/x.arrow"), as the page resolves its name.
      const file = path.posix.join(path.posix.dirname(`/${pagePath}`), name).slice(1);
      const oldAlias = path.posix.join(path.posix.dirname(`/${pagePath}`), info.path).slice(1);
      if (!/\.[0-9a-f]{8}(\.[^./]*)?$/.test(oldAlias) || oldAlias.replace(/\.[0-9a-f]{8}(?=(\.[^./]*)?$)/, "") !== `_file/${file}`) return false;
      oldPaths.add(oldAlias);
      let found = data.get(file);
      if (!found) {
        // As Framework finds it: a file of the root itself, else a loader's output in its cache.
        const source = [path.join(o.root, file), path.join(cache, file)].find((p) => existsSync(p));
        if (!source) return false;
        const [bytes, stats] = await Promise.all([readFile(source), stat(source)]);
        found = { source, alias: hashedName(`_file/${file}`, sha256(bytes).slice(0, 8)), lastModified: Math.floor(stats.mtimeMs), size: stats.size };
        data.set(file, found);
      }
      const next = { ...info, path: relativeFrom(pagePath, `/${found.alias}`), lastModified: found.lastModified, size: found.size };
      replacements.push({ at: match.index, length: match[0].length, text: `registerFile(${match[1]}, ${JSON.stringify(next)});` });
    }
    // A data file named anywhere else on the page (an `import.meta.resolve` of one) would keep its
    // old name: Framework builds such a page.
    if (outsideRegisterFile(html).includes("_file/")) return false;
    let out = html;
    for (const r of replacements.reverse()) out = out.slice(0, r.at) + r.text + out.slice(r.at + r.length);
    patched.set(page, out);
  }
  // Nor may a module of the site's own (`_import/`) name a file: Framework writes a component's
  // FileAttachment into the module itself, with its hashed path, lastModified and size.
  for (const module of files.filter((f) => f.startsWith("_import/") && f.endsWith(".js"))) {
    if ((await readFile(path.join(o.previous, module), "utf8")).includes("_file/")) return false;
  }

  // The previous site but its data: its pages written afresh (never linked: the CSP step rewrites
  // them, and a link would change the previous site's page too), the rest linked.
  const isData = (f: string) => oldPaths.has(f) || record.partDirs.some((d) => f.startsWith(`_file/${d}/`));
  for (const file of files) {
    if (isData(file)) continue;
    const target = path.join(o.building, file);
    await mkdir(path.dirname(target), { recursive: true });
    if (patched.has(file)) await writeFile(target, patched.get(file) as string);
    else linkOrCopy(path.join(o.previous, file), target);
  }
  for (const file of data.values()) {
    const target = path.join(o.building, file.alias);
    await mkdir(path.dirname(target), { recursive: true });
    // The loader cache is emptied before the next build, which leaves a link whole.
    linkOrCopy(file.source, target);
  }
  return true;
}
