import path from 'node:path';
import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { AUDIENCE_DEFINITIONS, AUDIENCES, isAudience, type Audience } from '../../site/audiences.ts';
import { buildSite } from '../../site/build-site.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

export const DEFAULT_OUT_DIR = 'dist';

/** Builds one audience's site; a failure is one line naming the cause (the previous site is left as it was). */
export async function buildOrFail(db: string, out: string, quiet = false, audience: Audience = 'staff'): Promise<void> {
  try {
    await buildSite({ dbPath: db, outDir: out, quiet, audience });
  } catch (error) {
    const cause = (error as Error).message.split('\n')[0];
    throw new CliError(`dashboard build failed (the previous site in ${out} is unchanged): ${cause}`, ExitCode.buildFailed);
  }
}

/** The --audience value, checked. */
export function parseAudience(value: string | undefined): Audience {
  const audience = value ?? 'staff';
  if (!isAudience(audience)) throw new CliError(`--audience must be one of ${AUDIENCES.join(', ')} (got ${JSON.stringify(value)})`, ExitCode.usage);
  return audience;
}

export const buildCmd = defineCommand(
  {
    name: 'build',
    usage: 'pastoral build [--audience staff|leaders|governors|trust] [--db FILE] [--out DIR]',
    summary:
      'Builds the static dashboards (Observable Framework) from the warehouse for one audience, with no network: ' +
      'staff (every page, pupils named) into dist/; leaders and governors (aggregate pages only, small counts suppressed) ' +
      'into dist-leaders/ and dist-governors/; trust (aggregate, and pupil lists under a keyed pseudonym) into dist-trust/. ' +
      'The new site replaces the old one only when it is complete.',
    options: {
      audience: { type: 'string', description: 'Who the site is for: staff, leaders, governors or trust', valueName: 'WHO', default: 'staff' },
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      out: { type: 'string', description: 'Output folder (default dist/ for staff, dist-<audience>/ for the others)', valueName: 'DIR' },
      quiet: { type: 'boolean', description: "Hide Framework's build log" },
    },
  },
  async (values) => {
    const audience = parseAudience(values.audience);
    const out = path.resolve(values.out ?? AUDIENCE_DEFINITIONS[audience].defaultOutDir);
    await buildOrFail(values.db ?? DEFAULT_DB_PATH, out, values.quiet, audience);
    process.stdout.write(`Built the ${audience} dashboards into ${out}\n`);
  },
);
