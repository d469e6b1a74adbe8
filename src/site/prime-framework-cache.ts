/**
 * Fill Observable Framework's npm cache from node_modules so that
 * `observable build` never contacts jsDelivr or the npm registry.
 *
 * How Framework (1.13.4) resolves `npm:` imports (see dist/npm.js):
 *  - the version of `npm:NAME` (no range) is the highest `NAME@VERSION`
 *    directory found in `<root>/.observablehq/cache/_npm/`; only when none
 *    exists does it ask registry.npmjs.org;
 *  - the module itself is `<cache>/_npm/NAME@VERSION/_esm.js` (the layout of
 *    jsDelivr's `+esm` bundles); only when that file is missing does it fetch
 *    `https://cdn.jsdelivr.net/npm/NAME@VERSION/+esm`;
 *  - relative imports inside a cached module (`../d3@7.9.2/_esm.js`) are
 *    followed and copied into dist like any other npm module.
 *
 * So, per package we write one esbuild ESM bundle at that path, with imports
 * of the *other* primed packages left external and pointed at their sibling
 * cache files (one d3, one apache-arrow, one isoformat for everybody).
 *
 * Framework's client bundle (`/_observablehq/client.js`, `stdlib.js`) also
 * mentions many optional packages in lazy `import("npm:…")` calls (lodash,
 * echarts, react-dom, …). Bundling the client resolves a *version* for each of
 * them, so each gets an empty `NAME@0.0.0-offline` directory: enough to pick a
 * version without the registry, and a page that really uses one of them fails
 * the build loudly (`unable to fetch …/NAME@0.0.0-offline/+esm`) instead of
 * silently reaching for the network. To support such a library, add it to
 * package.json and to PRIMED_PACKAGES (or pass it in `extraPackages`).
 *
 * Idempotent: each bundle directory holds a `_primed.json` fingerprint (primer
 * revision, esbuild version, every primed name@version); matching directories
 * are skipped, so a primed cache costs a few stat/reads.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

/** Packages bundled from node_modules into the cache (what our pages use). */
export const PRIMED_PACKAGES: readonly string[] = [
  "@observablehq/plot", // implicit `Plot`
  "d3", // implicit `d3`; Plot's dependency
  "d3-dsv", // FileAttachment(…).csv()/.tsv()
  "htl", // implicit `html`/`svg`; Inputs' dependency
  "isoformat", // Inputs' and Plot's dependency
  "apache-arrow", // FileAttachment(…).arrow(), implicit `Arrow`
];

/** Names Framework maps to its own built-in modules: never fetched from npm. */
const FRAMEWORK_BUILTINS = new Set([
  "@observablehq/runtime",
  "@observablehq/stdlib",
  "@observablehq/dot",
  "@observablehq/duckdb",
  "@observablehq/inputs",
  "@observablehq/mermaid",
  "@observablehq/tex",
  "@observablehq/sqlite",
]);

/** Version given to referenced-but-unprimed packages. */
export const PLACEHOLDER_VERSION = "0.0.0-offline";

/** Bump when the bundling recipe changes, to force a rebuild of primed bundles. */
const PRIMER_REVISION = 1;

const MARKER = "_primed.json";

export interface PrimeOptions {
  /** More node_modules packages to bundle into the cache. */
  extraPackages?: readonly string[];
  /** Directory from which packages are resolved (default: the repository root). */
  resolveFrom?: string;
  /** Progress messages (default: silent). */
  log?: (message: string) => void;
}

interface PackageInfo {
  name: string;
  version: string;
  dir: string;
}

/** The repository root (this file lives in `<repo>/src/site/`). */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Finds `node_modules/<name>` walking up from `fromDir` (ignores `exports` restrictions). */
export function findPackageDir(name: string, fromDir: string): string | null {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

async function readPackageInfo(name: string, fromDir: string): Promise<PackageInfo> {
  const dir = findPackageDir(name, fromDir);
  if (!dir) throw new Error(`primeFrameworkCache: package "${name}" is not installed (run npm ci)`);
  const json: unknown = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
  const version = (json as { version?: unknown }).version;
  if (typeof version !== "string") throw new Error(`primeFrameworkCache: ${name} has no version in package.json`);
  return { name, version, dir };
}

/** Bare-specifier package name: "@a/b/c" → "@a/b", "d3/dist" → "d3"; null for relative/absolute/URL. */
function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || /^[a-zA-Z][\w+.-]*:/.test(specifier)) return null;
  const parts = specifier.split("/");
  if (specifier.startsWith("@")) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : null;
  return parts[0] ?? null;
}

/** Cache-relative URL path of a package's ESM bundle, as Framework names it. */
function esmUrlPath(name: string, version: string): string {
  return `/_npm/${name}@${version}/_esm.js`;
}

function versionDir(npmDir: string, name: string, version: string): string {
  const [first, second] = name.split("/");
  return second === undefined ? path.join(npmDir, `${first}@${version}`) : path.join(npmDir, first!, `${second}@${version}`);
}

/** Versions present in the cache for `name` (directory names `name@version`). */
async function cachedVersions(npmDir: string, name: string): Promise<string[]> {
  const scoped = name.startsWith("@");
  const parent = scoped ? path.join(npmDir, name.split("/")[0]!) : npmDir;
  const base = scoped ? name.split("/")[1]! : name;
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  return entries.filter((e) => e.startsWith(`${base}@`)).map((e) => e.slice(base.length + 1));
}

async function bundlePackage(pkg: PackageInfo, siblings: ReadonlyMap<string, PackageInfo>, from: string): Promise<string> {
  const self = esmUrlPath(pkg.name, pkg.version);
  const external: esbuild.Plugin = {
    name: "framework-cache-siblings",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const name = packageNameOf(args.path);
        if (name === null || name !== args.path || name === pkg.name) return undefined;
        const sibling = siblings.get(name);
        if (!sibling) return undefined;
        let rel = path.posix.relative(path.posix.dirname(self), esmUrlPath(sibling.name, sibling.version));
        if (!rel.startsWith(".")) rel = `./${rel}`;
        return { path: rel, external: true };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [pkg.name],
    absWorkingDir: path.resolve(from),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [external],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`primeFrameworkCache: esbuild produced no output for ${pkg.name}`);
  return file.text;
}

/** npm names mentioned as `npm:NAME` anywhere in Framework's client code. */
async function frameworkClientNpmNames(frameworkDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const clientDir = path.join(frameworkDir, "dist", "client");
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".js")) {
        const source = await readFile(full, "utf8");
        for (const m of source.matchAll(/["'`]npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) {
          const spec = m[1]!;
          // strip a version range: "foo@1" / "@a/b@1"
          const at = spec.indexOf("@", 1);
          names.add(at > 0 ? spec.slice(0, at) : spec);
        }
      }
    }
  };
  await walk(clientDir);
  return names;
}

async function writeAtomic(file: string, contents: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, contents, "utf8");
  await rename(tmp, file);
}

/**
 * Prime `<root>/.observablehq/cache/_npm` for an offline `observable build`.
 * `root` is the Framework source root (the directory holding the pages).
 */
export async function primeFrameworkCache(root: string, options: PrimeOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const from = options.resolveFrom ?? repoRoot;
  const npmDir = path.join(path.resolve(root), ".observablehq", "cache", "_npm");
  await mkdir(npmDir, { recursive: true });

  const names = [...new Set([...PRIMED_PACKAGES, ...(options.extraPackages ?? [])])];
  const packages = await Promise.all(names.map((name) => readPackageInfo(name, from)));
  const byName = new Map(packages.map((p) => [p.name, p] as const));
  const fingerprint = createHash("sha256")
    .update(
      JSON.stringify({
        revision: PRIMER_REVISION,
        esbuild: esbuild.version,
        packages: packages.map((p) => `${p.name}@${p.version}`).sort(),
      }),
    )
    .digest("hex");

  // 1. One bundle per primed package (skipped when already primed identically).
  await Promise.all(
    packages.map(async (pkg) => {
      const dir = versionDir(npmDir, pkg.name, pkg.version);
      const esm = path.join(dir, "_esm.js");
      const marker = path.join(dir, MARKER);
      try {
        const current: unknown = JSON.parse(await readFile(marker, "utf8"));
        if ((current as { fingerprint?: unknown }).fingerprint === fingerprint && existsSync(esm)) {
          log(`npm:${pkg.name}@${pkg.version} already primed`);
          return;
        }
      } catch {
        // not primed yet
      }
      const started = performance.now();
      const code = await bundlePackage(pkg, byName, from);
      await mkdir(dir, { recursive: true });
      await writeAtomic(esm, code);
      await writeAtomic(marker, JSON.stringify({ fingerprint, name: pkg.name, version: pkg.version }, null, 2));
      log(`npm:${pkg.name}@${pkg.version} primed (${Math.round(performance.now() - started)} ms, ${code.length} bytes)`);
    }),
  );

  // 2. Only one version per primed package, or Framework would pick the highest.
  for (const pkg of packages) {
    for (const version of await cachedVersions(npmDir, pkg.name)) {
      if (version === pkg.version) continue;
      await rm(versionDir(npmDir, pkg.name, version), { recursive: true, force: true });
      log(`npm:${pkg.name}@${version} removed (stale)`);
    }
  }

  // 3. Version placeholders for the optional libraries Framework's client mentions.
  const frameworkDir = findPackageDir("@observablehq/framework", from);
  if (!frameworkDir) throw new Error("primeFrameworkCache: @observablehq/framework is not installed");
  for (const name of await frameworkClientNpmNames(frameworkDir)) {
    if (byName.has(name) || FRAMEWORK_BUILTINS.has(name)) continue;
    if ((await cachedVersions(npmDir, name)).length > 0) continue;
    await mkdir(versionDir(npmDir, name, PLACEHOLDER_VERSION), { recursive: true });
    log(`npm:${name}@${PLACEHOLDER_VERSION} placeholder`);
  }
}
