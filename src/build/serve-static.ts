/**
 * Minimal static file server for a built Framework site (`dist/`).
 *
 *   const server = await serveStatic("dist");          // random port on 127.0.0.1
 *   console.log(server.url);                           // http://127.0.0.1:PORT/
 *   await server.close();
 *
 * Framework builds use clean URLs: pages are `foo.html` but linked as `./foo`,
 * and `dir/index.html` as `./dir/`. So `/foo` serves `foo.html`, `/dir/`
 * serves `dir/index.html`, `/dir` redirects to `/dir/` (relative links in the
 * page need the slash). Anything else is a 404 (the site's `404.html` when it
 * has one). Paths escaping the root are refused.
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface ServeStaticOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".wasm": "application/wasm",
  ".pdf": "application/pdf",
  ".xml": "application/xml; charset=utf-8",
  ".zip": "application/zip",
};

function mimeType(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

type Resolution = { kind: "file"; file: string } | { kind: "redirect"; location: string } | { kind: "missing" } | { kind: "forbidden" };

/** Maps a URL pathname onto a file under `root` (an absolute, real path). */
async function resolveRequest(root: string, pathname: string): Promise<Resolution> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: "forbidden" };
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return { kind: "forbidden" };
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "..")) return { kind: "forbidden" };
  const target = path.join(root, ...segments);
  if (!inside(root, target)) return { kind: "forbidden" };

  const candidates: string[] = [];
  if (decoded.endsWith("/")) {
    candidates.push(path.join(target, "index.html"));
  } else {
    candidates.push(target);
    if (!path.extname(target)) candidates.push(`${target}.html`);
  }
  for (const candidate of candidates) {
    if (await isFile(candidate)) {
      // Refuse symlinks that point outside the root.
      const real = await realpath(candidate);
      if (!inside(root, real)) return { kind: "forbidden" };
      return { kind: "file", file: real };
    }
  }
  if (!decoded.endsWith("/") && (await isFile(path.join(target, "index.html"))) && (await isDirectory(target))) {
    return { kind: "redirect", location: `/${segments.map(encodeURIComponent).join("/")}/` };
  }
  return { kind: "missing" };
}

/** Serve `dir` over HTTP. Resolves once listening. */
export async function serveStatic(dir: string, opts: ServeStaticOptions = {}): Promise<StaticServer> {
  const root = await realpath(path.resolve(dir));
  if (!(await isDirectory(root))) throw new Error(`serveStatic: not a directory: ${root}`);
  const host = opts.host ?? "127.0.0.1";

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
        res.end("Method Not Allowed\n");
        return;
      }
      // Not `new URL()`: it would silently resolve "..", hiding escape attempts.
      const target = req.url ?? "/";
      const q = target.search(/[?#]/);
      const pathname = q < 0 ? target : target.slice(0, q);
      const search = q < 0 ? "" : target.slice(q).replace(/#.*$/, "");
      const resolution = pathname.startsWith("/") ? await resolveRequest(root, pathname) : ({ kind: "forbidden" } as const);
      switch (resolution.kind) {
        case "file": {
          const { size } = await stat(resolution.file);
          res.writeHead(200, {
            "Content-Type": mimeType(resolution.file),
            "Content-Length": String(size),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
          });
          if (req.method === "HEAD") {
            res.end();
            return;
          }
          const stream = createReadStream(resolution.file);
          stream.on("error", () => res.destroy());
          stream.pipe(res);
          return;
        }
        case "redirect":
          res.writeHead(301, { Location: resolution.location + search });
          res.end();
          return;
        case "forbidden":
          res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
          res.end("Forbidden\n");
          return;
        case "missing": {
          const notFound = path.join(root, "404.html");
          if (await isFile(notFound)) {
            res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
            if (req.method === "HEAD") res.end();
            else createReadStream(notFound).pipe(res);
          } else {
            res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
            res.end("Not Found\n");
          }
          return;
        }
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`Internal Server Error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
