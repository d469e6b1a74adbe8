import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { generateDemo } from '../../demo/generate.ts';

export const demoCmd = defineCommand(
  {
    name: 'demo',
    usage: 'pastoral demo --out DIR [--pupils N] [--years Y] [--schools S] [--seed K]',
    summary: "Writes a synthetic school's exports (all nine canonical files) calibrated to national figures. Same seed, same bytes.",
    options: {
      out: { type: 'string', description: 'Folder to write (one subfolder per school when S > 1)', valueName: 'DIR' },
      pupils: { type: 'string', description: 'Pupils per school', valueName: 'N', default: '1200' },
      years: { type: 'string', description: 'Academic years of data, ending 2025/26', valueName: 'Y', default: '1' },
      schools: { type: 'string', description: 'Number of schools (a trust)', valueName: 'S', default: '1' },
      seed: { type: 'string', description: 'Random seed', valueName: 'K', default: '1' },
    },
  },
  async (values) => {
    if (!values.out) throw new CliError('--out DIR is required, e.g. pastoral demo --out data/demo', ExitCode.usage);
    const manifest = await generateDemo({
      outDir: values.out,
      pupils: intOption(values.pupils, 'pupils', 1200),
      years: intOption(values.years, 'years', 1),
      schools: intOption(values.schools, 'schools', 1),
      seed: intOption(values.seed, 'seed', 1, 0),
    });
    for (const school of manifest.schools) {
      const counts = Object.entries(school.files).map(([f, n]) => `${f} ${n}`).join(', ');
      process.stdout.write(`  ${school.schoolId}: ${counts}\n`);
    }
    process.stdout.write(`Demo exports written to ${values.out}\n`);
  },
);
