/**
 * Static file server for a built Framework site (`dist/`), with the staff login (docs/serving.md).
 *
 *   const server = await serveStatic("dist");          // random port on 127.0.0.1
 *   console.log(server.url);                           // http://127.0.0.1:PORT/
 *   await server.close();
 *
 *   // The school network: a password is required; every file answers 401 without a session.
 *   await serveStatic("dist", { host: "0.0.0.0", port: 3000, password: await readPasswordFile(f) });
 *
 * Every request's Host must be one of the server's names (DNS rebinding), else 421. With a
 * password, `/_pastoral/login` (GET: the form; POST: check it, set an HttpOnly SameSite=Strict
 * session cookie) and `/_pastoral/logout` are the only paths answered without a session; a
 * page asked for without one gets 401 with the login form, any other file a plain 401. Pages
 * are sent with their Content-Security-Policy as a header (src/site/csp.ts) and, behind the
 * login, a "Log out" button.
 *
 * Three files: the Host check's names (serve-hosts.ts), the login over HTTP (serve-login.ts, on
 * serve-auth.ts's password file, sessions and backoff), and this one, the server.
 *
 * What is ours and what is sirv's: the Host check, the login, the traversal refusal (before any
 * file is looked up), the security headers and the pages (clean URLs: `/foo` is `foo.html`,
 * `/dir/` is `dir/index.html`, `/dir` redirects to `/dir/` since relative links in the page need
 * the slash) are here; every other file (page data, scripts, styles) is sent by sirv (MIME type,
 * ETag, ranges). Anything else is a 404 (the site's `404.html` when it has one).
 */
import { readFile, realpath, stat } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import sirv from "sirv";
import { metaPolicy } from "./csp.ts";
import { BUILD_STATE_DIR } from "../page-data/build-state.ts";
import type { PasswordRecord, SessionOptions } from "./serve-auth.ts";
import { allowedHostNames, hostHeaderName, isLoopback, isWildcard } from "./serve-hosts.ts";
import { StaffLogin, withLogoutForm } from "./serve-login.ts";

export { hostHeaderName, isLoopback } from "./serve-hosts.ts";
export { LOGOUT_FORM, safeNext } from "./serve-login.ts";

export interface ServeStaticOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1; any other than loopback needs `password`. */
  host?: string;
  /** More names the server answers to in `Host` (its DNS name on the school network, the proxy's). */
  hostNames?: readonly string[];
  /** The stored password hash: with it, nothing but the login form is served without a session. */
  password?: PasswordRecord | null;
  /** Session lifetimes and the clock (tests move it). */
  sessions?: SessionOptions;
  /** PEM certificate and key: serve HTTPS (node:https) instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Behind the school's reverse proxy on this machine: take the client address for the login
   * backoff from the last `X-Forwarded-For` entry, and mark the cookie Secure when the proxy
   * says `X-Forwarded-Proto: https`.
   */
  behindProxy?: boolean;
}

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  port: number;
  /** The names accepted in the Host header. */
  hostNames: readonly string[];
  close(): Promise<void>;
}

/** Types the MIME table sirv uses (mrmime) does not know, for the page data Framework ships. */
const EXTRA_TYPES: Readonly<Record<string, string>> = {
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".tar": "application/x-tar",
};

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Whether `file` exists and, links followed, lies outside `root` (a link planted in the site). */
async function escapesRoot(root: string, file: string): Promise<boolean> {
  try {
    return !inside(root, await realpath(file));
  } catch {
    return false;
  }
}

/**
 * What a URL path asks for, checked before any file is looked up: `forbidden` for anything that
 * could step outside the site (`..` in any encoding, backslashes, NUL, undecodable escapes);
 * `page` for a clean URL (`/foo`, `/foo.html`, `/dir/`), whose HTML file is named; else `asset`,
 * which sirv serves. `/dir` with a `dir/index.html` redirects to `/dir/` (relative links in the
 * page need the slash).
 */
type Route =
  | { kind: "forbidden" }
  | { kind: "redirect"; location: string }
  | { kind: "page"; file: string }
  | { kind: "asset"; url: string };

async function route(root: string, pathname: string): Promise<Route> {
  if (!pathname.startsWith("/")) return { kind: "forbidden" };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: "forbidden" };
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return { kind: "forbidden" };
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "..")) return { kind: "forbidden" };
  // The build's own notes (src/page-data/timeline-reuse.ts: hashes of the timelines' parts) are for the next build, not for a browser.
  if (segments[0]?.toLowerCase() === BUILD_STATE_DIR) return { kind: "forbidden" };
  const target = path.join(root, ...segments);
  if (!inside(root, target)) return { kind: "forbidden" };

  const ext = path.extname(target).toLowerCase();
  const page = decoded.endsWith("/") ? path.join(target, "index.html") : ext === ".html" || ext === ".htm" ? target : ext === "" ? `${target}.html` : null;
  for (const file of [target, ...(page && page !== target ? [page] : [])]) {
    if (await escapesRoot(root, file)) return { kind: "forbidden" };
  }
  if (page && (await isFile(page))) return { kind: "page", file: page };
  if (!decoded.endsWith("/") && ext === "" && (await isFile(path.join(target, "index.html")))) {
    if (await escapesRoot(root, path.join(target, "index.html"))) return { kind: "forbidden" };
    return { kind: "redirect", location: `/${segments.map(encodeURIComponent).join("/")}/` };
  }
  // sirv decodes with decodeURI, which leaves escaped reserved characters (`%2B`, `%40`) as they
  // are: hand it the checked path in the form it reads (Framework's names such as
  // `_npm/d3@7.9.0/+esm.js` then match, however the browser escaped them).
  return { kind: "asset", url: `/${segments.map((s) => encodeURI(s)).join("/")}` };
}

/** Policy for files that are not pages (JSON, SVG, CSV…), should one be opened on its own. */
const DATA_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/** Pupil data leaves this machine only behind a password: refuse any other name without one. */
function refuseOpenNetworkWithoutPassword(host: string, extraNames: readonly string[], password: PasswordRecord | null): void {
  if (!password && (!isLoopback(host) || extraNames.some((n) => !isLoopback(n)))) {
    throw new Error(
      `refusing to serve pupil data on ${[host, ...extraNames].filter((h) => !isLoopback(h)).join(", ")} without a password: set one with pastoral serve --set-password`,
    );
  }
}

/** The answers this server writes itself: the headers every one carries, plain text, a page, the 404. */
interface Replies {
  commonHeaders: () => Record<string, string>;
  sendText: (res: http.ServerResponse, status: number, text: string, extra?: Record<string, string>) => void;
  sendHtmlFile: (res: http.ServerResponse, status: number, file: string, head: boolean) => Promise<void>;
  sendNotFound: (res: http.ServerResponse, head: boolean) => Promise<void>;
}

function replies(root: string, password: PasswordRecord | null): Replies {
  const commonHeaders = (): Record<string, string> => ({
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    // Behind a login, nothing is kept in the browser's cache, where the next user of a shared
    // staff computer could find it after logout. (Pages keep the files they loaded in memory.)
    "Cache-Control": password ? "no-store" : "no-cache",
    ...(password ? { Vary: "Cookie" } : {}),
  });
  const sendText = (res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...commonHeaders(), "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": DATA_FILE_POLICY, ...extra });
    res.end(`${text}\n`);
  };
  const sendHtmlFile = async (res: http.ServerResponse, status: number, file: string, head: boolean) => {
    const built = await readFile(file, "utf8");
    // The page's own policy (its inline scripts hashed at build time), as a header too, where
    // frame-ancestors (which a <meta> cannot carry) also applies.
    const policy = metaPolicy(built) ?? "object-src 'none'; base-uri 'self'";
    const html = password ? withLogoutForm(built) : built;
    res.writeHead(status, {
      ...commonHeaders(),
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(html)),
      "Content-Security-Policy": `${policy}; frame-ancestors 'none'`,
    });
    res.end(head ? undefined : html);
  };
  const sendNotFound = async (res: http.ServerResponse, head: boolean) => {
    const notFound = path.join(root, "404.html");
    if (await isFile(notFound)) await sendHtmlFile(res, 404, notFound, head);
    else sendText(res, 404, "Not Found");
  };
  return { commonHeaders, sendText, sendHtmlFile, sendNotFound };
}

type AssetSender = (req: http.IncomingMessage, res: http.ServerResponse, url: string, head: boolean) => void;

/**
 * Every other file (the page data, scripts, styles, fonts): sirv looks it up on each request
 * (`dev`, so a refresh that swaps in a new site is served at once) and sends it with its MIME
 * type, ETag, ranges and HEAD; our headers, set first, win over its own.
 */
function assetSender(root: string, { commonHeaders, sendNotFound }: Replies): AssetSender {
  const assets = sirv(root, {
    dev: true,
    etag: true,
    extensions: [],
    setHeaders: (res, pathname) => {
      const type = EXTRA_TYPES[path.extname(pathname).toLowerCase()];
      if (type) res.setHeader("Content-Type", type);
      // Scripts take the page's policy; a data file opened on its own runs nothing.
      if (!/\.m?js$/i.test(pathname)) res.setHeader("Content-Security-Policy", DATA_FILE_POLICY);
    },
  });
  return (req, res, url, head) => {
    req.url = url;
    for (const [name, value] of Object.entries(commonHeaders())) res.setHeader(name, value);
    assets(req, res, () => {
      for (const name of Object.keys(commonHeaders())) res.removeHeader(name);
      void sendNotFound(res, head).catch(() => res.destroy());
    });
  };
}

/** What one server answers with, fixed when it starts. */
interface Site {
  root: string;
  /** The names accepted in the Host header. */
  allowed: ReadonlySet<string>;
  login: StaffLogin | null;
  replies: Replies;
  sendAsset: AssetSender;
}

/** Whether the request's Host is one of ours; if not, it has been answered (400 or 421). */
function acceptsHost(site: Site, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  // DNS rebinding: a page on another site whose name now points here sends its own name.
  const hostName = hostHeaderName(req.headers.host);
  if (hostName === null) {
    site.replies.sendText(res, 400, "Bad Request: no valid Host header");
    return false;
  }
  if (!site.allowed.has(hostName)) {
    site.replies.sendText(res, 421, `Misdirected Request: this server answers to ${[...site.allowed].join(", ")}`);
    return false;
  }
  return true;
}

/** The request target as sent, its path, and its query (the fragment dropped). */
function splitRequestTarget(url: string | undefined): { target: string; pathname: string; search: string } {
  // Not `new URL()`: it would silently resolve "..", hiding escape attempts.
  const target = url ?? "/";
  const q = target.search(/[?#]/);
  const pathname = q < 0 ? target : target.slice(0, q);
  const search = q < 0 ? "" : target.slice(q).replace(/#.*$/, "");
  return { target, pathname, search };
}

async function sendRoute(site: Site, req: http.IncomingMessage, res: http.ServerResponse, found: Route, search: string): Promise<void> {
  const head = req.method === "HEAD";
  switch (found.kind) {
    case "page":
      await site.replies.sendHtmlFile(res, 200, found.file, head);
      return;
    case "asset":
      site.sendAsset(req, res, found.url, head);
      return;
    case "redirect":
      res.writeHead(301, { ...site.replies.commonHeaders(), Location: found.location + search });
      res.end();
      return;
    case "forbidden":
      site.replies.sendText(res, 403, "Forbidden");
      return;
  }
}

/** One request, in order: the Host check, the login, the method, then the file it routes to. */
async function answerRequest(site: Site, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (!acceptsHost(site, req, res)) return;
  const { target, pathname, search } = splitRequestTarget(req.url);
  if (site.login) {
    if (site.login.owns(pathname)) return site.login.answer(req, res, pathname, search);
    if (!site.login.hasSession(req)) return site.login.refuse(req, res, target);
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    site.replies.sendText(res, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
    return;
  }
  await sendRoute(site, req, res, await route(site.root, pathname), search);
}

function requestHandler(site: Site): http.RequestListener {
  return (req, res) => {
    void answerRequest(site, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`Internal Server Error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Serve `dir` over HTTP (or HTTPS with `tls`). Resolves once listening. */
export async function serveStatic(dir: string, opts: ServeStaticOptions = {}): Promise<StaticServer> {
  const root = await realpath(path.resolve(dir));
  if (!(await stat(root)).isDirectory()) throw new Error(`serveStatic: not a directory: ${root}`);
  const host = opts.host ?? "127.0.0.1";
  const password = opts.password ?? null;
  const extraNames = opts.hostNames ?? [];
  refuseOpenNetworkWithoutPassword(host, extraNames, password);
  const allowed = new Set(allowedHostNames(host, extraNames));
  const answers = replies(root, password);
  const login = password
    ? new StaffLogin({
        password,
        sessions: opts.sessions,
        tls: opts.tls !== undefined,
        behindProxy: opts.behindProxy === true,
        isOwnHost: (name) => allowed.has(name),
        headers: answers.commonHeaders,
        sendText: answers.sendText,
      })
    : null;
  const handler = requestHandler({ root, allowed, login, replies: answers, sendAsset: assetSender(root, answers) });
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
  await listen(server, opts.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const urlHost = isWildcard(host) ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  return {
    url: `${opts.tls ? "https" : "http"}://${urlHost}:${port}/`,
    port,
    hostNames: [...allowed],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
