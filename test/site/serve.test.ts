/**
 * `pastoral serve` over real HTTP(S) against a small fixture site: the Host check (DNS
 * rebinding), the login (nothing served without a session: pages, `_file/` data, traversal
 * attempts), sessions that expire, wrong passwords slowed, the password file, HTTPS, and
 * --host refusing to start without a password. Requests are sent with node:http so the
 * request line goes out exactly as written (fetch would resolve "..").
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveCmd } from '../../src/cli/commands/serve.ts';
import { CliError } from '../../src/cli/errors.ts';
import { pagePolicy, withPolicyMeta } from '../../src/site/csp.ts';
import { passwordFileFor, readPasswordFile, verifyPassword, writePasswordFile, type PasswordRecord } from '../../src/site/serve-auth.ts';
import { hostHeaderName, LOGOUT_FORM, safeNext, serveStatic, type StaticServer } from '../../src/site/serve-static.ts';

const SECRET = 'SECRET-OUTSIDE-THE-SITE';
const PUPIL_DATA = '{"pupil":"Ada Lovelace-Testpupil"}';
const PASSWORD = 'correct horse battery staple';

const work = mkdtempSync(path.join(os.tmpdir(), 'pastoral-serve-'));
const dist = path.join(work, 'site', 'dist');
const secretFile = path.join(work, 'site', 'secret.txt');

function writeSite(): void {
  mkdirSync(path.join(dist, '_file', 'data'), { recursive: true });
  mkdirSync(path.join(dist, 'sub'), { recursive: true });
  writeFileSync(secretFile, SECRET);
  const page = (title: string) =>
    withPolicyMeta(`<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n<script type="module">\nimport "./_observablehq/client.js";\n</script>\n</head>\n<body><h1>${title}</h1><script>{document.title += "!";}</script></body>\n</html>\n`);
  writeFileSync(path.join(dist, 'index.html'), page('Home'));
  writeFileSync(path.join(dist, 'pupil.html'), page('Pupil'));
  writeFileSync(path.join(dist, 'sub', 'index.html'), page('Sub'));
  writeFileSync(path.join(dist, '_file', 'data', 'pupils.json'), PUPIL_DATA);
  writeFileSync(path.join(dist, '_file', 'data', 'marts.arrow'), 'ARROW1-not-really');
  // The build's notes for the next build (src/page-data/timeline-reuse.ts): never served.
  mkdirSync(path.join(dist, '.pastoral-build'), { recursive: true });
  writeFileSync(path.join(dist, '.pastoral-build', 'pupil-detail.json'), SECRET);
  mkdirSync(path.join(dist, '_npm', 'd3@7.9.0'), { recursive: true });
  writeFileSync(path.join(dist, '_npm', 'd3@7.9.0', '+esm.js'), 'export default 1;\n');
  try {
    symlinkSync(secretFile, path.join(dist, 'link.txt'));
  } catch {
    // No symlinks (Windows without the right): the symlink case is not checked there.
  }
}
writeSite();

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request, sent as written. `host: null` sends no Host header. */
function request(
  server: StaticServer,
  rawPath: string,
  options: { method?: string; host?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const url = new URL(server.url);
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { ...options.headers };
  if (options.host !== null) headers.host = options.host ?? url.host;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      {
        hostname: url.hostname,
        port: url.port,
        path: rawPath,
        method: options.method ?? 'GET',
        headers,
        setHost: false,
        agent: false,
        ...(secure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function login(server: StaticServer, password: string, extra: Record<string, string> = {}): Promise<Reply> {
  return request(server, '/_pastoral/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
    body: new URLSearchParams({ password, next: '/pupil' }).toString(),
  });
}

const sessionCookie = (reply: Reply): string => {
  const set = reply.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0];
};

/** Traversal attempts: none may ever answer with a file from outside the site. */
const TRAVERSALS = [
  '/../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/.%2e/secret.txt',
  '/..%2fsecret.txt',
  '/..%2Fsecret.txt',
  '/%2e%2e%2fsecret.txt',
  '/_file/../../secret.txt',
  '/_file/%2e%2e/%2e%2e/secret.txt',
  '/_file/data/..%2f..%2f..%2fsecret.txt',
  '/..\\secret.txt',
  '/%5c..%5csecret.txt',
  '/..%5csecret.txt',
  `/${secretFile}`,
  `//${secretFile}`,
  `/${encodeURIComponent(secretFile)}`,
  '/C:%5CWindows%5Cwin.ini',
  '/secret.txt%00.html',
  '/link.txt',
  '/.pastoral-build/pupil-detail.json',
  '/.PASTORAL-BUILD/pupil-detail.json',
  '/%2epastoral-build/pupil-detail.json',
];

let password: PasswordRecord;
beforeAll(async () => {
  const file = path.join(work, 'pw', 'warehouse.duckdb.serve-password');
  password = await writePasswordFile(file, PASSWORD);
});

describe('serve without a password (localhost only)', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(dist);
  });
  afterAll(() => server.close());

  it('serves pages with their Content-Security-Policy as a header, and data files', async () => {
    const page = await request(server, '/pupil');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Pupil</h1>');
    expect(page.headers['content-security-policy']).toBe(`${pagePolicy(page.body)}; frame-ancestors 'none'`);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+' 'sha256-[^']+' 'unsafe-hashes' /);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const data = await request(server, '/_file/data/pupils.json');
    expect(data.status).toBe(200);
    expect(data.body).toBe(PUPIL_DATA);
    expect(data.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers only to its own names: another Host is 421, none or a malformed one 400', async () => {
    expect((await request(server, '/', { host: 'evil.example' })).status).toBe(421);
    expect((await request(server, '/', { host: `evil.example:${new URL(server.url).port}` })).status).toBe(421);
    expect((await request(server, '/_file/data/pupils.json', { host: 'attacker.test' })).body).not.toContain('Ada');
    expect((await request(server, '/', { host: null })).status).toBe(400);
    expect((await request(server, '/', { host: 'a b' })).status).toBe(400);
    expect((await request(server, '/', { host: 'localhost' })).status).toBe(200);
    expect((await request(server, '/', { host: `LOCALHOST.:${new URL(server.url).port}` })).status).toBe(200);
    expect(hostHeaderName('[::1]:3000')).toBe('::1');
    expect(hostHeaderName('school.example:443')).toBe('school.example');
    expect(hostHeaderName('user@evil.example')).toBeNull();
  });

  it('never serves a file from outside the site', async () => {
    for (const attempt of TRAVERSALS) {
      const reply = await request(server, attempt);
      expect([400, 403, 404], attempt).toContain(reply.status);
      expect(reply.body, attempt).not.toContain(SECRET);
    }
  });

  it('clean URLs, 404s, and the data files sent by sirv with our headers (type, ETag, HEAD, ranges)', async () => {
    const dir = await request(server, '/sub?x=1');
    expect(dir.status).toBe(301);
    expect(dir.headers.location).toBe('/sub/?x=1');
    expect((await request(server, '/sub/')).body).toContain('<h1>Sub</h1>');
    expect((await request(server, '/pupil.html')).body).toContain('<h1>Pupil</h1>');
    const missing = await request(server, '/_file/data/none.json');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(server, '/nope')).status).toBe(404);
    // No login here, so no logout button on the pages.
    expect((await request(server, '/pupil')).body).not.toContain(LOGOUT_FORM);

    const arrow = await request(server, '/_file/data/marts.arrow');
    expect(arrow.status).toBe(200);
    expect(arrow.headers['content-type']).toBe('application/vnd.apache.arrow.file');
    expect(arrow.headers['cache-control']).toBe('no-cache');
    expect(arrow.headers['x-content-type-options']).toBe('nosniff');
    expect(arrow.headers['content-security-policy']).toContain("default-src 'none'");
    const etag = arrow.headers.etag ?? '';
    expect(etag).not.toBe('');
    const again = await request(server, '/_file/data/marts.arrow', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await request(server, '/_file/data/pupils.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(PUPIL_DATA.length));
    expect(head.body).toBe('');
    const part = await request(server, '/_file/data/pupils.json', { headers: { range: 'bytes=0-8' } });
    expect(part.status).toBe(206);
    expect(part.body).toBe(PUPIL_DATA.slice(0, 9));
    expect((await request(server, '/_file/data/pupils.json', { method: 'POST', body: '' })).status).toBe(405);
    // Framework's names with reserved characters, as written and escaped (as a browser or a test may send them).
    for (const name of ['/_npm/d3@7.9.0/+esm.js', '/_npm/d3%407.9.0/%2Besm.js']) {
      const js = await request(server, name);
      expect(js.status, name).toBe(200);
      expect(js.body, name).toBe('export default 1;\n');
      expect(js.headers['content-type'], name).toMatch(/^text\/javascript/);
    }
  });

  it('refuses to listen beyond this computer, or to other names, without a password', async () => {
    await expect(serveStatic(dist, { host: '0.0.0.0' })).rejects.toThrow(/without a password/);
    await expect(serveStatic(dist, { hostNames: ['pastoral.school.example'] })).rejects.toThrow(/without a password/);
  });
});

describe('serve with a password', () => {
  let clock = Date.parse('2026-01-05T08:00:00Z');
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(dist, { password, sessions: { now: () => clock }, hostNames: ['pastoral.school.example'] });
  });
  afterAll(() => server.close());

  it('answers 401 for every page, data file, missing file and traversal attempt without a session', async () => {
    for (const target of ['/', '/index.html', '/pupil', '/pupil.html', '/sub/', '/sub', '/_file/data/pupils.json', '/nope', ...TRAVERSALS]) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await request(server, target, { method });
        expect(reply.status, `${method} ${target}`).toBe(401);
        expect(reply.body, target).not.toContain('Ada');
        expect(reply.body, target).not.toContain(SECRET);
        expect(reply.body, target).not.toContain('<h1>Pupil</h1>');
      }
    }
    // A forged or stale cookie is no session.
    const forged = await request(server, '/_file/data/pupils.json', { headers: { cookie: 'pastoral_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.status).toBe(401);
  });

  it('shows the login form (still 401) to a browser asking for a page, returning to that page after', async () => {
    const reply = await request(server, '/pupil?id=1', { headers: { accept: 'text/html', 'sec-fetch-dest': 'document' } });
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('<form method="post" action="/_pastoral/login">');
    expect(reply.body).toContain('name="next" value="/pupil?id=1"');
    expect(reply.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(reply.headers['cache-control']).toBe('no-store');
    // Where to go after login stays on this site.
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/weekly-review?week=3')).toBe('/weekly-review?week=3');
  });

  it('slows wrong passwords: after one, the next try from that computer waits, even with the right password', async () => {
    const wrong = await login(server, 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('Wrong password');
    expect(wrong.headers['retry-after']).toBe('1');
    const early = await login(server, PASSWORD);
    expect(early.status).toBe(429);
    expect(early.headers['set-cookie']).toBeUndefined();
    clock += 1001;
    const second = await login(server, 'still not it');
    expect(second.status).toBe(401);
    expect(second.headers['retry-after']).toBe('2'); // doubles
    clock += 1000;
    expect((await login(server, PASSWORD)).status).toBe(429);
    clock += 1001;
    expect((await login(server, PASSWORD)).status).toBe(303); // and a success clears the count
    expect((await login(server, 'wrong again')).headers['retry-after']).toBe('1');
    clock += 1001;
  });

  it('a login sets an HttpOnly SameSite=Strict session cookie that opens every file; traversal still finds nothing', async () => {
    const reply = await login(server, PASSWORD);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/pupil');
    const setCookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^pastoral_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = sessionCookie(reply);
    const page = await request(server, '/pupil', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Pupil</h1>');
    expect(page.headers['cache-control']).toBe('no-store');
    const data = await request(server, '/_file/data/pupils.json', { headers: { cookie } });
    expect(data.status).toBe(200);
    expect(data.body).toBe(PUPIL_DATA);
    expect(data.headers['cache-control']).toBe('no-store');
    for (const attempt of TRAVERSALS) {
      const r = await request(server, attempt, { headers: { cookie } });
      expect([400, 403, 404], attempt).toContain(r.status);
      expect(r.body, attempt).not.toContain(SECRET);
    }
    // The Host check comes first, session or not.
    expect((await request(server, '/pupil', { host: 'evil.example', headers: { cookie } })).status).toBe(421);
    expect((await request(server, '/pupil', { host: 'pastoral.school.example', headers: { cookie } })).status).toBe(200);
  });

  it('ends a session after 8 hours unused, and at logout', async () => {
    const unused = sessionCookie(await login(server, PASSWORD));
    clock += 8 * 3600_000 + 1;
    expect((await request(server, '/', { headers: { cookie: unused } })).status).toBe(401);

    const cookie = sessionCookie(await login(server, PASSWORD));
    clock += 7 * 3600_000;
    expect((await request(server, '/', { headers: { cookie } })).status).toBe(200);
    clock += 4 * 3600_000; // 11 hours after login but used 4 hours ago: still open
    expect((await request(server, '/', { headers: { cookie } })).status).toBe(200);

    const other = sessionCookie(await login(server, PASSWORD));
    expect((await request(server, '/', { headers: { cookie: other } })).status).toBe(200);
    const out = await request(server, '/_pastoral/logout', { method: 'POST', headers: { cookie: other } });
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']?.[0]).toContain('Max-Age=0');
    expect((await request(server, '/', { headers: { cookie: other } })).status).toBe(401);
  });

  it('puts a Log out button on every page behind the login; it ends the session', async () => {
    const cookie = sessionCookie(await login(server, PASSWORD));
    for (const target of ['/', '/pupil', '/sub/']) {
      const page = await request(server, target, { headers: { cookie } });
      expect(page.status, target).toBe(200);
      expect(page.body, target).toContain(`${LOGOUT_FORM}\n</body>`);
      // A form, no script: the page's policy (its inline scripts hashed) is unchanged.
      expect(page.headers['content-security-policy']).toBe(`${pagePolicy(page.body)}; frame-ancestors 'none'`);
    }
    expect(LOGOUT_FORM).toMatch(/^<form method="post" action="\/_pastoral\/logout"[^>]*><button type="submit">Log out<\/button><\/form>$/);
    // Data files are left as built.
    expect((await request(server, '/_file/data/pupils.json', { headers: { cookie } })).body).toBe(PUPIL_DATA);
    // The button's request: a POST to the logout path, with the session cookie (same site).
    const out = await request(server, '/_pastoral/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/_pastoral/login');
    expect((await request(server, '/pupil', { headers: { cookie } })).status).toBe(401);
  });

  it('ends every session 12 hours after login, however much it is used', async () => {
    const cookie = sessionCookie(await login(server, PASSWORD));
    for (const hour of [4, 8, 12]) {
      clock += 4 * 3600_000;
      expect((await request(server, '/', { headers: { cookie } })).status, `hour ${hour}`).toBe(200);
    }
    clock += 1;
    expect((await request(server, '/', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a login form sent from another site (Origin), and anything but the form', async () => {
    expect((await login(server, PASSWORD, { origin: 'http://evil.example' })).status).toBe(403);
    const json = await request(server, '/_pastoral/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    expect(json.status).toBe(415);
    expect((await login(server, PASSWORD, { origin: server.url.replace(/\/$/, '') })).status).toBe(303);
  });
});

describe('serve behind a reverse proxy (--behind-proxy)', () => {
  let clock = Date.parse('2026-01-05T08:00:00Z');
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic(dist, { password, behindProxy: true, sessions: { now: () => clock } });
  });
  afterAll(() => server.close());

  it("slows each client by the address the proxy adds, not one the client forged, and marks the cookie Secure over the proxy's HTTPS", async () => {
    const from = (address: string, forged = '') => ({ 'x-forwarded-for': `${forged}${address}`, 'x-forwarded-proto': 'https' });
    expect((await login(server, 'wrong password', from('10.0.0.5'))).status).toBe(401);
    // The same client, claiming to be someone else in an earlier entry: still waits.
    expect((await login(server, PASSWORD, from('10.0.0.5', '10.9.9.9, '))).status).toBe(429);
    // Another client is not held up by the first one's mistakes.
    const other = await login(server, PASSWORD, from('10.0.0.6'));
    expect(other.status).toBe(303);
    expect(other.headers['set-cookie']?.[0]).toMatch(/^__Host-pastoral_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const cookie = sessionCookie(other);
    expect((await request(server, '/pupil', { headers: { cookie, 'x-forwarded-proto': 'https' } })).status).toBe(200);
    clock += 1001;
  });
});

describe('the password file', () => {
  it('holds a salted scrypt hash, never the password', async () => {
    const file = path.join(work, 'pw2', 'warehouse.duckdb.serve-password');
    const a = await writePasswordFile(file, PASSWORD);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toMatchObject({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    const b = await writePasswordFile(file, PASSWORD);
    expect(b.salt).not.toBe(a.salt);
    expect(b.hash).not.toBe(a.hash);
    const stored = await readPasswordFile(file);
    expect(await verifyPassword(stored!, PASSWORD)).toBe(true);
    expect(await verifyPassword(stored!, `${PASSWORD} `)).toBe(false);
    expect(await readPasswordFile(path.join(work, 'none'))).toBeNull();
    writeFileSync(file, '{"algorithm":"scrypt","N":1099511627776}');
    await expect(readPasswordFile(file)).rejects.toThrow(/not a valid password file/);
  });
});

describe('pastoral serve', () => {
  const saved = process.env.PASTORAL_PASSWORD;
  afterEach(() => {
    if (saved === undefined) delete process.env.PASTORAL_PASSWORD;
    else process.env.PASTORAL_PASSWORD = saved;
  });

  it('--host refuses to start without a password (exit 2), and --set-password stores one from PASTORAL_PASSWORD', async () => {
    const db = path.join(work, 'cli', 'pastoral.duckdb');
    for (const args of [['--host', '0.0.0.0'], ['--host', '192.168.0.10'], ['--name', 'pastoral.school.example'], ['--behind-proxy']]) {
      const error = await serveCmd.run([...args, '--port', '0', '--dir', dist, '--db', db]).catch((e: unknown) => e);
      expect(error, args.join(' ')).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toContain('without a password');
    }
    process.env.PASTORAL_PASSWORD = 'short';
    await expect(serveCmd.run(['--set-password', '--db', db])).rejects.toMatchObject({ exitCode: 2 });
    expect(await readPasswordFile(passwordFileFor(db))).toBeNull();

    process.env.PASTORAL_PASSWORD = PASSWORD;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await serveCmd.run(['--set-password', '--db', db])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(readFileSync(passwordFileFor(db), 'utf8')).not.toContain(PASSWORD);
    expect(await verifyPassword((await readPasswordFile(passwordFileFor(db)))!, PASSWORD)).toBe(true);
  });
});

const openssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!openssl)('serve over HTTPS (--cert, --key)', () => {
  let server: StaticServer;
  beforeAll(async () => {
    const key = path.join(work, 'key.pem');
    const cert = path.join(work, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    server = await serveStatic(dist, { password, tls: { cert: readFileSync(cert), key: readFileSync(key) } });
  });
  afterAll(() => server?.close());

  it('serves HTTPS; the session cookie is Secure with the __Host- prefix', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    expect((await request(server, '/_file/data/pupils.json')).status).toBe(401);
    const reply = await login(server, PASSWORD);
    expect(reply.status).toBe(303);
    expect(reply.headers['set-cookie']?.[0]).toMatch(/^__Host-pastoral_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const data = await request(server, '/_file/data/pupils.json', { headers: { cookie: sessionCookie(reply) } });
    expect(data.status).toBe(200);
    expect(data.body).toBe(PUPIL_DATA);
  });
});

describe('pastoral serve (the command, as a process)', () => {
  it('serves with the stored password: 401 without a session, 421 for another host, a session after login', async () => {
    const db = path.join(work, 'process', 'pastoral.duckdb');
    await writePasswordFile(passwordFileFor(db), PASSWORD);
    const bin = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--name', 'pastoral.school.example', '--dir', dist, '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          output += c.toString();
          const m = /Dashboards: (\S+)/.exec(output);
          if (m && output.includes('Ctrl-C')) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
      });
      expect(output).toContain('Login required');
      expect(output).toContain('http://pastoral.school.example:');
      const server = { url } as StaticServer;
      expect((await request(server, '/_file/data/pupils.json')).status).toBe(401);
      expect((await request(server, '/', { host: 'evil.example' })).status).toBe(421);
      const reply = await login(server, PASSWORD);
      expect(reply.status).toBe(303);
      const data = await request(server, '/_file/data/pupils.json', { host: 'pastoral.school.example', headers: { cookie: sessionCookie(reply) } });
      expect(data.body).toBe(PUPIL_DATA);
    } finally {
      child.kill();
    }
  });
});
