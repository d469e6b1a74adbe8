import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { metaPolicy } from '../../site/csp.ts';
import { MIN_PASSWORD_LENGTH, passwordFileFor, readPasswordFile, writePasswordFile, type PasswordRecord } from '../../site/serve-auth.ts';
import { isLoopback, serveStatic, type ServeStaticOptions } from '../../site/serve-static.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

export const DEFAULT_SITE_DIR = 'dist';

/** Serves a built site until Ctrl-C, printing the address to open. */
export async function serveUntilStopped(dir: string, port: number, options: Omit<ServeStaticOptions, 'port'> = {}): Promise<void> {
  const site = path.resolve(dir);
  if (!existsSync(path.join(site, 'index.html'))) throw new CliError(`no built site in ${site}: run pastoral build first`);
  if (metaPolicy(readFileSync(path.join(site, 'index.html'), 'utf8')) === null) {
    process.stderr.write(`Warning: ${site} was built without a Content-Security-Policy: rebuild it with pastoral build\n`);
  }
  let server;
  try {
    server = await serveStatic(site, { ...options, port });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use: choose another with --port`);
    throw new CliError(e.message);
  }
  const scheme = options.tls ? 'https' : 'http';
  const others = (options.host && !isLoopback(options.host)) || (options.hostNames ?? []).length > 0
    ? server.hostNames.filter((n) => !isLoopback(n) && !/^fe80:/i.test(n)).map((n) => `${scheme}://${n.includes(':') ? `[${n}]` : n}:${server.port}/`)
    : [];
  process.stdout.write(`\nDashboards: ${server.url}\n`);
  if (others.length > 0) process.stdout.write(`On the school network: ${others.join('  ')}\n`);
  if (options.password) process.stdout.write('Login required (log out at /_pastoral/logout).\n');
  process.stdout.write('(Ctrl-C to stop)\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Reads a line from the terminal without echoing it (Ctrl-C aborts). */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CliError('cancelled', ExitCode.usage));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of stdin (a script piping the password in). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The new password: PASTORAL_PASSWORD, else typed twice at a prompt, else stdin's first line. */
export async function newPassword(): Promise<string> {
  const fromEnv = process.env.PASTORAL_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) {
    const first = await promptHidden(`New password for the staff site (at least ${MIN_PASSWORD_LENGTH} characters): `);
    const second = await promptHidden('Type it again: ');
    if (first !== second) throw new CliError('the two passwords differ: nothing changed', ExitCode.usage);
    return first;
  }
  return readStdinLine();
}

export const serveCmd = defineCommand(
  {
    name: 'serve',
    usage: 'pastoral serve [--dir DIR] [--port N] [--host ADDR] [--name HOST]… [--cert FILE --key FILE] [--behind-proxy] [--db FILE] | --set-password',
    summary:
      'Serves the built dashboards. On 127.0.0.1 by default (this computer only); --host serves the school network and needs a password.',
    options: {
      dir: { type: 'string', description: 'Built site', valueName: 'DIR', default: DEFAULT_SITE_DIR },
      port: { type: 'string', description: 'Port (0 picks a free one)', valueName: 'N', default: '3000' },
      host: { type: 'string', description: 'Address to listen on, e.g. 0.0.0.0 for every network of this computer (needs a password)', valueName: 'ADDR', default: '127.0.0.1' },
      name: { type: 'string', multiple: true, description: "A name colleagues reach this server by (its DNS name, or the reverse proxy's); the Host header must be one of the server's names", valueName: 'HOST' },
      cert: { type: 'string', description: 'PEM certificate: serve HTTPS (with --key)', valueName: 'FILE' },
      key: { type: 'string', description: 'PEM private key of --cert', valueName: 'FILE' },
      'behind-proxy': { type: 'boolean', description: "Behind the school's reverse proxy on this computer: trust its X-Forwarded-For and X-Forwarded-Proto" },
      db: { type: 'string', description: 'Warehouse: its password file sits beside it (FILE.serve-password)', valueName: 'FILE', default: DEFAULT_DB_PATH },
      'set-password': { type: 'boolean', description: 'Set the staff password (from PASTORAL_PASSWORD, a prompt, or stdin), store its scrypt hash, and exit' },
    },
    details: [
      'With a password set, every page and data file needs a login; sessions end after 8 hours unused',
      '(12 hours at most); wrong passwords make that computer wait 1, 2, 4 … seconds. Log out at',
      '/_pastoral/logout. To remove the login from a localhost-only server, delete the password file.',
      'See docs/serving.md for HTTPS, the reverse-proxy route, and retention (pastoral purge).',
    ].join('\n'),
  },
  async (values) => {
    const passwordFile = passwordFileFor(values.db ?? DEFAULT_DB_PATH);
    if (values['set-password']) {
      const password = await newPassword();
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new CliError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters: nothing changed`, ExitCode.usage);
      }
      await writePasswordFile(passwordFile, password);
      process.stdout.write(`Password set: its salted scrypt hash is in ${passwordFile} (the password itself is not stored).\n`);
      return;
    }
    const host = values.host ?? '127.0.0.1';
    const names = values.name ?? [];
    if ((values.cert === undefined) !== (values.key === undefined)) throw new CliError('--cert and --key go together', ExitCode.usage);
    let password: PasswordRecord | null;
    try {
      password = await readPasswordFile(passwordFile);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const network = !isLoopback(host) || names.some((n) => !isLoopback(n)) || values['behind-proxy'] === true;
    if (network && !password) {
      throw new CliError(
        `refusing to serve pupil data to the network without a password: set one first with pastoral serve --set-password${values.db ? ` --db ${values.db}` : ''}`,
        ExitCode.usage,
      );
    }
    let tls: ServeStaticOptions['tls'];
    if (values.cert !== undefined && values.key !== undefined) {
      try {
        tls = { cert: readFileSync(values.cert), key: readFileSync(values.key) };
      } catch (error) {
        throw new CliError(`cannot read the certificate or key: ${(error as Error).message}`);
      }
    }
    await serveUntilStopped(values.dir ?? DEFAULT_SITE_DIR, intOption(values.port, 'port', 3000, 0), {
      host,
      hostNames: names,
      password,
      tls,
      behindProxy: values['behind-proxy'],
    });
  },
);
