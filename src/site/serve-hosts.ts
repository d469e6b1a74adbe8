/**
 * The names a server answers to (docs/serving.md, "Host check"): a request whose `Host` is not
 * one of them is DNS rebinding or a misdirected request (421).
 */
import os from "node:os";

/** Loopback addresses and names: serving on them keeps pupil data on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

export function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** Lower-case, without brackets, port or a trailing dot. */
export function normaliseHostName(name: string): string {
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
