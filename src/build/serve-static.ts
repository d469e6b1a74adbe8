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
 * are sent with their Content-Security-Policy as a header (src/build/csp.ts) and, behind the
 * login, a "Log out" button.
 *
 * What is ours and what is sirv's: the Host check, the login, the traversal refusal (before any
 * file is looked up), the security headers and the pages (clean URLs: `/foo` is `foo.html`,
 * `/dir/` is `dir/index.html`, `/dir` redirects to `/dir/` since relative links in the page need
 * the slash) are here; every other file (page data, scripts, styles) is sent by sirv (MIME type,
 * ETag, ranges). Anything else is a 404 (the site's `404.html` when it has one).
 */
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import sirv from "sirv";
import { metaPolicy } from "./csp.ts";
import { LoginBackoff, SessionStore, verifyPassword, type PasswordRecord, type SessionOptions } from "./serve-auth.ts";

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
  | { kind: "asset"; file: string };

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
  return { kind: "asset", file: target };
}

/** Loopback addresses and names: serving on them keeps pupil data on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** Lower-case, without brackets, port or a trailing dot. */
function normaliseHostName(name: string): string {
  return name.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

/**
 * The names a request's `Host` may carry: loopback names, the address bound, every address of
 * this machine and its host name when bound to all of them, and the names given (the school's
 * DNS name for the server, or the reverse proxy's). Anything else is DNS rebinding or a
 * misdirected request.
 */
export function allowedHostNames(host: string, extra: readonly string[] = []): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1"]);
  if (!isWildcard(host)) names.add(normaliseHostName(host));
  if (isWildcard(host)) {
    names.add(normaliseHostName(os.hostname()));
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) names.add(normaliseHostName(a.address.replace(/%.*$/, "")));
    }
  }
  for (const name of extra) names.add(normaliseHostName(name));
  names.delete("");
  return [...names];
}

/** The host name of a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`), or null when malformed. */
export function hostHeaderName(value: string | undefined): string | null {
  if (!value) return null;
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(value);
  if (v6) return normaliseHostName(v6[1]);
  const named = /^([A-Za-z0-9._-]+)(?::\d{1,5})?$/.exec(value);
  return named ? normaliseHostName(named[1]) : null;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A path to return to after login: on this site only (no `//host`, no backslashes, no controls). */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith("/") || next.startsWith("//") || /[\\\0-\x1f\x7f]/.test(next)) return "/";
  if (next.startsWith(LOGIN_PATH) || next.startsWith(LOGOUT_PATH)) return "/";
  return next;
}

export const LOGIN_PATH = "/_pastoral/login";
export const LOGOUT_PATH = "/_pastoral/logout";

const LOGIN_STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#1b1e23}" +
  "input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.25rem 0 1rem}" +
  "button{font:inherit;padding:.4rem 1.2rem}.message{color:#b00020}";
const LOGIN_POLICY =
  `default-src 'none'; style-src 'sha256-${createHash("sha256").update(LOGIN_STYLE).digest("base64")}'; ` +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function loginPage(next: string, message = ""): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pastoral Pulse: log in</title>
<style>${LOGIN_STYLE}</style>
</head>
<body>
<h1>Pastoral Pulse</h1>
<p>These pages hold pupils' personal data. Log in with the staff password.</p>
${message ? `<p class="message" role="alert">${escapeHtml(message)}</p>\n` : ""}<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
</body>
</html>
`;
}

/**
 * The way out for staff on a shared computer: a "Log out" button, top right of every page served
 * behind the login. A plain form (no script, so the page's Content-Security-Policy is unchanged)
 * posting to the logout path, put just before `</body>`.
 */
export const LOGOUT_FORM =
  `<form method="post" action="${LOGOUT_PATH}" class="pastoral-logout" ` +
  `style="position:fixed;top:.5rem;right:1rem;z-index:100;margin:0"><button type="submit">Log out</button></form>`;

export function withLogoutForm(html: string): string {
  const at = html.lastIndexOf("</body>");
  return at < 0 ? `${html}${LOGOUT_FORM}\n` : `${html.slice(0, at)}${LOGOUT_FORM}\n${html.slice(at)}`;
}

/** Policy for files that are not pages (JSON, SVG, CSV…), should one be opened on its own. */
const DATA_FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/** Serve `dir` over HTTP (or HTTPS with `tls`). Resolves once listening. */
export async function serveStatic(dir: string, opts: ServeStaticOptions = {}): Promise<StaticServer> {
  const root = await realpath(path.resolve(dir));
  if (!(await stat(root)).isDirectory()) throw new Error(`serveStatic: not a directory: ${root}`);
  const host = opts.host ?? "127.0.0.1";
  const password = opts.password ?? null;
  const extraNames = opts.hostNames ?? [];
  if (!password && (!isLoopback(host) || extraNames.some((n) => !isLoopback(n)))) {
    throw new Error(
      `refusing to serve pupil data on ${[host, ...extraNames].filter((h) => !isLoopback(h)).join(", ")} without a password: set one with pastoral serve --set-password`,
    );
  }
  const allowed = new Set(allowedHostNames(host, extraNames));
  const sessions = new SessionStore(opts.sessions);
  const backoff = new LoginBackoff(sessions.now);
  let checking: Promise<unknown> = Promise.resolve();
  /** One password check at a time: each takes 128 MiB and a few tenths of a second. */
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = checking.then(work, work);
    checking = next.catch(() => undefined);
    return next;
  };

  const isSecure = (req: http.IncomingMessage): boolean =>
    opts.tls !== undefined || (opts.behindProxy === true && String(req.headers["x-forwarded-proto"] ?? "").split(",")[0].trim() === "https");
  const cookieName = (req: http.IncomingMessage): string => (isSecure(req) ? "__Host-pastoral_session" : "pastoral_session");
  const clientAddress = (req: http.IncomingMessage): string => {
    const remote = req.socket.remoteAddress ?? "unknown";
    if (opts.behindProxy && isLoopback(remote.replace(/^::ffff:/, ""))) {
      const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      // The last entry is the one the proxy itself added; earlier ones are the client's to forge.
      if (forwarded.length > 0) return forwarded[forwarded.length - 1];
    }
    return remote;
  };
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
  const sendLogin = (res: http.ServerResponse, status: number, next: string, message = "", extra: Record<string, string> = {}) => {
    const body = loginPage(next, message);
    res.writeHead(status, {
      ...commonHeaders(),
      "Cache-Control": "no-store",
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
      "Content-Security-Policy": LOGIN_POLICY,
      ...extra,
    });
    res.end(body);
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
  /**
   * Every other file (the page data, scripts, styles, fonts): sirv looks it up on each request
   * (`dev`, so a refresh that swaps in a new site is served at once) and sends it with its MIME
   * type, ETag, ranges and HEAD; our headers, set first, win over its own.
   */
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
  const sendAsset = (req: http.IncomingMessage, res: http.ServerResponse, head: boolean) => {
    for (const [name, value] of Object.entries(commonHeaders())) res.setHeader(name, value);
    assets(req, res, () => {
      for (const name of Object.keys(commonHeaders())) res.removeHeader(name);
      void sendNotFound(res, head).catch(() => res.destroy());
    });
  };

  const readForm = (req: http.IncomingMessage): Promise<URLSearchParams | null> =>
    new Promise((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > 4096) {
          resolve(null);
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
      req.on("error", reject);
    });

  const handleLogin = async (req: http.IncomingMessage, res: http.ServerResponse, search: string) => {
    if (req.method === "GET" || req.method === "HEAD") {
      sendLogin(res, 200, safeNext(new URLSearchParams(search).get("next")));
      return;
    }
    if (req.method !== "POST") {
      sendText(res, 405, "Method Not Allowed", { Allow: "GET, POST" });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost: string | null = null;
      try {
        originHost = normaliseHostName(new URL(origin).hostname);
      } catch {
        originHost = null;
      }
      if (originHost === null || !allowed.has(originHost)) {
        sendText(res, 403, "Forbidden: the login form was sent from another site");
        return;
      }
    }
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      sendText(res, 415, "Unsupported Media Type: send the login form");
      return;
    }
    const form = await readForm(req);
    if (form === null) {
      sendText(res, 413, "Payload Too Large");
      return;
    }
    const next = safeNext(form.get("next"));
    const address = clientAddress(req);
    const outcome = await serialised(async () => {
      const wait = backoff.waitMs(address);
      if (wait > 0) return { kind: "wait" as const, wait };
      if (await verifyPassword(password as PasswordRecord, form.get("password") ?? "")) return { kind: "ok" as const };
      return { kind: "wrong" as const, wait: backoff.failed(address) };
    });
    if (outcome.kind === "ok") {
      backoff.succeeded(address);
      const token = sessions.create();
      res.writeHead(303, {
        ...commonHeaders(),
        "Cache-Control": "no-store",
        Location: next,
        "Set-Cookie": `${cookieName(req)}=${token}; Path=/; HttpOnly; SameSite=Strict${isSecure(req) ? "; Secure" : ""}`,
      });
      res.end();
      return;
    }
    const seconds = Math.ceil(outcome.wait / 1000);
    const retry = { "Retry-After": String(seconds) };
    if (outcome.kind === "wait") sendLogin(res, 429, next, `Too many wrong passwords from this computer: wait ${seconds} s, then try again.`, retry);
    else sendLogin(res, 401, next, `Wrong password. You can try again in ${seconds} s.`, retry);
  };

  const handleLogout = (req: http.IncomingMessage, res: http.ServerResponse) => {
    sessions.end(cookieValue(req.headers.cookie, cookieName(req)));
    res.writeHead(303, {
      ...commonHeaders(),
      "Cache-Control": "no-store",
      Location: LOGIN_PATH,
      "Set-Cookie": `${cookieName(req)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${isSecure(req) ? "; Secure" : ""}`,
    });
    res.end();
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void (async () => {
      // DNS rebinding: a page on another site whose name now points here sends its own name.
      const hostName = hostHeaderName(req.headers.host);
      if (hostName === null) {
        sendText(res, 400, "Bad Request: no valid Host header");
        return;
      }
      if (!allowed.has(hostName)) {
        sendText(res, 421, `Misdirected Request: this server answers to ${[...allowed].join(", ")}`);
        return;
      }
      // Not `new URL()`: it would silently resolve "..", hiding escape attempts.
      const target = req.url ?? "/";
      const q = target.search(/[?#]/);
      const pathname = q < 0 ? target : target.slice(0, q);
      const search = q < 0 ? "" : target.slice(q).replace(/#.*$/, "");

      if (password) {
        if (pathname === LOGIN_PATH) return handleLogin(req, res, search);
        if (pathname === LOGOUT_PATH) return handleLogout(req, res);
        if (!sessions.check(cookieValue(req.headers.cookie, cookieName(req)))) {
          const navigation =
            req.method === "GET" &&
            (req.headers["sec-fetch-dest"] === "document" || String(req.headers.accept ?? "").includes("text/html"));
          if (navigation) sendLogin(res, 401, safeNext(target));
          else sendText(res, 401, "Unauthorized: log in first", { "WWW-Authenticate": `Cookie realm="Pastoral Pulse", form="${LOGIN_PATH}"` });
          return;
        }
      }

      if (req.method !== "GET" && req.method !== "HEAD") {
        sendText(res, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
        return;
      }
      const head = req.method === "HEAD";
      const found = await route(root, pathname);
      switch (found.kind) {
        case "page":
          await sendHtmlFile(res, 200, found.file, head);
          return;
        case "asset":
          sendAsset(req, res, head);
          return;
        case "redirect":
          res.writeHead(301, { ...commonHeaders(), Location: found.location + search });
          res.end();
          return;
        case "forbidden":
          sendText(res, 403, "Forbidden");
          return;
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`Internal Server Error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };

  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
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
