/**
 * The staff login over HTTP (docs/serving.md, "Login"): the form, checking a password (one at a
 * time, slowed per client after wrong ones), the session cookie, logging out, and what a request
 * without a session gets. The password file, the sessions and the backoff are in serve-auth.ts;
 * serve-static.ts asks this before serving any file.
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { LoginBackoff, SessionStore, verifyPassword, type PasswordRecord, type SessionOptions } from "./serve-auth.ts";
import { isLoopback, normaliseHostName } from "./serve-hosts.ts";

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

type Headers = Record<string, string>;

export interface StaffLoginOptions {
  password: PasswordRecord;
  sessions?: SessionOptions;
  /** Served over HTTPS by this server (the cookie is then Secure, named __Host-…). */
  tls: boolean;
  /** Behind the school's reverse proxy: see ServeStaticOptions.behindProxy. */
  behindProxy: boolean;
  /** Whether a (normalised) host name is one of the server's: a login form from elsewhere is refused. */
  isOwnHost: (name: string) => boolean;
  /** The headers every answer carries (serve-static.ts). */
  headers: () => Headers;
  /** A plain-text answer with those headers (serve-static.ts). */
  sendText: (res: http.ServerResponse, status: number, text: string, extra?: Headers) => void;
}

/** The login of one server: `answer` the login and logout paths, `hasSession`, `refuse` the rest. */
export class StaffLogin {
  private readonly sessions: SessionStore;
  private readonly backoff: LoginBackoff;
  private checking: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: StaffLoginOptions) {
    this.sessions = new SessionStore(opts.sessions);
    this.backoff = new LoginBackoff(this.sessions.now);
  }

  /** Whether `pathname` is the login's own (answered without a session). */
  owns(pathname: string): boolean {
    return pathname === LOGIN_PATH || pathname === LOGOUT_PATH;
  }

  /** Answers the login or logout path. */
  answer(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, search: string): Promise<void> | void {
    return pathname === LOGIN_PATH ? this.handleLogin(req, res, search) : this.handleLogout(req, res);
  }

  /** Whether the request carries a live session (which it touches). */
  hasSession(req: http.IncomingMessage): boolean {
    return this.sessions.check(cookieValue(req.headers.cookie, this.cookieName(req)));
  }

  /** 401 for a request without a session: the login form to a browser asking for a page (returning to `target` after), else plain text. */
  refuse(req: http.IncomingMessage, res: http.ServerResponse, target: string): void {
    const navigation =
      req.method === "GET" && (req.headers["sec-fetch-dest"] === "document" || String(req.headers.accept ?? "").includes("text/html"));
    if (navigation) this.sendLogin(res, 401, safeNext(target));
    else this.opts.sendText(res, 401, "Unauthorized: log in first", { "WWW-Authenticate": `Cookie realm="Pastoral Pulse", form="${LOGIN_PATH}"` });
  }

  /** One password check at a time: each takes 128 MiB and a few tenths of a second. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.checking.then(work, work);
    this.checking = next.catch(() => undefined);
    return next;
  }

  private isSecure(req: http.IncomingMessage): boolean {
    return this.opts.tls || (this.opts.behindProxy && String(req.headers["x-forwarded-proto"] ?? "").split(",")[0].trim() === "https");
  }

  private cookieName(req: http.IncomingMessage): string {
    return this.isSecure(req) ? "__Host-pastoral_session" : "pastoral_session";
  }

  private clientAddress(req: http.IncomingMessage): string {
    const remote = req.socket.remoteAddress ?? "unknown";
    if (this.opts.behindProxy && isLoopback(remote.replace(/^::ffff:/, ""))) {
      const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      // The last entry is the one the proxy itself added; earlier ones are the client's to forge.
      if (forwarded.length > 0) return forwarded[forwarded.length - 1];
    }
    return remote;
  }

  private sendLogin(res: http.ServerResponse, status: number, next: string, message = "", extra: Headers = {}): void {
    const body = loginPage(next, message);
    res.writeHead(status, {
      ...this.opts.headers(),
      "Cache-Control": "no-store",
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
      "Content-Security-Policy": LOGIN_POLICY,
      ...extra,
    });
    res.end(body);
  }

  private readForm(req: http.IncomingMessage): Promise<URLSearchParams | null> {
    return new Promise((resolve, reject) => {
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
  }

  private async handleLogin(req: http.IncomingMessage, res: http.ServerResponse, search: string): Promise<void> {
    if (req.method === "GET" || req.method === "HEAD") {
      this.sendLogin(res, 200, safeNext(new URLSearchParams(search).get("next")));
      return;
    }
    if (req.method !== "POST") {
      this.opts.sendText(res, 405, "Method Not Allowed", { Allow: "GET, POST" });
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
      if (originHost === null || !this.opts.isOwnHost(originHost)) {
        this.opts.sendText(res, 403, "Forbidden: the login form was sent from another site");
        return;
      }
    }
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      this.opts.sendText(res, 415, "Unsupported Media Type: send the login form");
      return;
    }
    const form = await this.readForm(req);
    if (form === null) {
      this.opts.sendText(res, 413, "Payload Too Large");
      return;
    }
    const next = safeNext(form.get("next"));
    const address = this.clientAddress(req);
    const outcome = await this.serialised(async () => {
      const wait = this.backoff.waitMs(address);
      if (wait > 0) return { kind: "wait" as const, wait };
      if (await verifyPassword(this.opts.password, form.get("password") ?? "")) return { kind: "ok" as const };
      return { kind: "wrong" as const, wait: this.backoff.failed(address) };
    });
    if (outcome.kind === "ok") {
      this.backoff.succeeded(address);
      const token = this.sessions.create();
      res.writeHead(303, {
        ...this.opts.headers(),
        "Cache-Control": "no-store",
        Location: next,
        "Set-Cookie": `${this.cookieName(req)}=${token}; Path=/; HttpOnly; SameSite=Strict${this.isSecure(req) ? "; Secure" : ""}`,
      });
      res.end();
      return;
    }
    const seconds = Math.ceil(outcome.wait / 1000);
    const retry = { "Retry-After": String(seconds) };
    if (outcome.kind === "wait") this.sendLogin(res, 429, next, `Too many wrong passwords from this computer: wait ${seconds} s, then try again.`, retry);
    else this.sendLogin(res, 401, next, `Wrong password. You can try again in ${seconds} s.`, retry);
  }

  private handleLogout(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.sessions.end(cookieValue(req.headers.cookie, this.cookieName(req)));
    res.writeHead(303, {
      ...this.opts.headers(),
      "Cache-Control": "no-store",
      Location: LOGIN_PATH,
      "Set-Cookie": `${this.cookieName(req)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${this.isSecure(req) ? "; Secure" : ""}`,
    });
    res.end();
  }
}
