/**
 * The staff site's login (docs/serving.md): one shared password, stored only as a salted scrypt
 * hash in a file beside the warehouse; sessions held in the server's memory; failed logins
 * slowed per client address.
 *
 *   await writePasswordFile(passwordFileFor("data/pastoral.duckdb"), "correct horse battery");
 *   const record = await readPasswordFile(passwordFileFor("data/pastoral.duckdb"));   // or null
 *   await verifyPassword(record, typed);                                             // boolean
 */
import { randomBytes, scrypt, timingSafeEqual, createHash, type ScryptOptions } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * scrypt cost: OWASP's Password Storage Cheat Sheet minimum (N=2^17, r=8, p=1): 128 MiB and a
 * few tenths of a second per check. The server checks one login at a time (see serve-static.ts),
 * so guesses cannot pile up memory.
 */
const DEFAULT_COST = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLength: 64 });
/** Refuse files asking for more than this, so an edited file cannot make every login exhaust memory. */
const MAX_N = 2 ** 20;

export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordRecord {
  version: 1;
  algorithm: "scrypt";
  N: number;
  r: number;
  p: number;
  keyLength: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
  createdAt: string;
}

/** The password file of a warehouse: `data/pastoral.duckdb` → `data/pastoral.duckdb.serve-password`. */
export function passwordFileFor(dbPath: string): string {
  return `${path.resolve(dbPath)}.serve-password`;
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number; keyLength: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, cost.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A salted scrypt hash of `password` (never the password). */
export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<PasswordRecord> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(16);
  const hash = await derive(password, salt, cost);
  return {
    version: 1,
    algorithm: "scrypt",
    ...cost,
    salt: salt.toString("base64"),
    hash: hash.toString("base64"),
    createdAt: new Date().toISOString(),
  };
}

/** Whether `password` matches the record (constant-time comparison of the derived keys). */
export async function verifyPassword(record: PasswordRecord, password: string): Promise<boolean> {
  const expected = Buffer.from(record.hash, "base64");
  const actual = await derive(password, Buffer.from(record.salt, "base64"), record);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Writes the record (owner read/write only where the platform has modes), atomically. */
export async function writePasswordFile(file: string, password: string): Promise<PasswordRecord> {
  const record = await hashPassword(password);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  return record;
}

/** The stored record, null when there is no file; throws (naming the file) when it is damaged. */
export async function readPasswordFile(file: string): Promise<PasswordRecord | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let record: Partial<PasswordRecord>;
  try {
    record = JSON.parse(text) as Partial<PasswordRecord>;
  } catch {
    throw new Error(`${file} is not a password file (not JSON): set the password again with pastoral serve --set-password`);
  }
  const ok =
    record.version === 1 &&
    record.algorithm === "scrypt" &&
    Number.isInteger(record.N) && (record.N as number) >= 2 ** 14 && (record.N as number) <= MAX_N &&
    Number.isInteger(record.r) && (record.r as number) >= 1 && (record.r as number) <= 32 &&
    Number.isInteger(record.p) && (record.p as number) >= 1 && (record.p as number) <= 16 &&
    Number.isInteger(record.keyLength) && (record.keyLength as number) >= 32 && (record.keyLength as number) <= 128 &&
    typeof record.salt === "string" && typeof record.hash === "string";
  if (!ok) throw new Error(`${file} is not a valid password file: set the password again with pastoral serve --set-password`);
  return record as PasswordRecord;
}

export interface SessionOptions {
  /** A session unused for this long ends. Default 8 hours. */
  idleMs?: number;
  /** A session ends this long after login however much it is used. Default 12 hours. */
  maxAgeMs?: number;
  /** Clock (tests move it). Default Date.now. */
  now?: () => number;
}

/** Server-side sessions: the browser holds a random token; the server keeps only its SHA-256. */
export class SessionStore {
  private readonly sessions = new Map<string, { createdAt: number; lastSeen: number }>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  readonly now: () => number;

  constructor(options: SessionOptions = {}) {
    this.idleMs = options.idleMs ?? 8 * 60 * 60 * 1000;
    this.maxAgeMs = options.maxAgeMs ?? 12 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  private static key(token: string): string {
    return createHash("sha256").update(token).digest("base64");
  }

  /** Starts a session and returns its token (32 random bytes, base64url). */
  create(): string {
    this.prune();
    const token = randomBytes(32).toString("base64url");
    const now = this.now();
    this.sessions.set(SessionStore.key(token), { createdAt: now, lastSeen: now });
    return token;
  }

  /** Whether the token names a live session; a live one is touched (its idle time restarts). */
  check(token: string | undefined): boolean {
    if (!token) return false;
    const key = SessionStore.key(token);
    const session = this.sessions.get(key);
    if (!session) return false;
    const now = this.now();
    if (now - session.lastSeen > this.idleMs || now - session.createdAt > this.maxAgeMs) {
      this.sessions.delete(key);
      return false;
    }
    session.lastSeen = now;
    return true;
  }

  end(token: string | undefined): void {
    if (token) this.sessions.delete(SessionStore.key(token));
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, s] of this.sessions) {
      if (now - s.lastSeen > this.idleMs || now - s.createdAt > this.maxAgeMs) this.sessions.delete(key);
    }
  }
}

/**
 * Failed logins per client address: after the n-th failure in a row the address must wait
 * 2^(n−1) seconds (1, 2, 4 … capped at 5 minutes) before its next try is even checked.
 * A success clears it. Entries are forgotten an hour after their last failure.
 */
export class LoginBackoff {
  private readonly failures = new Map<string, { count: number; retryAt: number; lastFailure: number }>();
  private readonly now: () => number;
  static readonly MAX_WAIT_MS = 5 * 60 * 1000;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Milliseconds the address must still wait (0: it may try now). */
  waitMs(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.retryAt - this.now());
  }

  failed(address: string): number {
    const now = this.now();
    for (const [a, e] of this.failures) if (now - e.lastFailure > 60 * 60 * 1000) this.failures.delete(a);
    const count = (this.failures.get(address)?.count ?? 0) + 1;
    const wait = Math.min(1000 * 2 ** (count - 1), LoginBackoff.MAX_WAIT_MS);
    this.failures.set(address, { count, retryAt: now + wait, lastFailure: now });
    return wait;
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}
