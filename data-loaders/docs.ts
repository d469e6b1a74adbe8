/**
 * The reference parts of docs/data-contract.md and docs/vendor-profiles.md, rendered from the
 * contract and the profiles themselves, so the documentation cannot drift from what ingest does
 * (test/ingest/docs.test.ts compares them). Regenerate after changing either:
 *
 *   npx tsx data-loaders/docs.ts --write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ATTENDANCE_CODES, CONTRACT, RECORD_TYPES, RETIRED_ATTENDANCE_CODES, type ColumnSpec } from './contract.ts';
import { PROFILES } from './profiles/index.ts';
import type { ProfileColumn, VendorProfile } from './profiles/profile.ts';
import { SCHOOL_HEADERS } from './column-mapping.ts';

const TYPE_WORDS: Record<ColumnSpec['type'], string> = {
  text: 'text',
  integer: 'whole number',
  number: 'number',
  date: 'date',
  datetime: 'date-time',
  time: 'time',
  boolean: 'yes/no',
  year_group: 'year group',
  academic_year: 'academic year',
  session: 'session',
  attendance_code: 'DfE code',
  enum: 'one of',
};

const code = (s: string) => `\`${s.replaceAll('|', '\\|')}\``;

function accepted(c: ColumnSpec): string {
  const parts: string[] = [];
  if (c.values) parts.push(c.values.map(code).join(', '));
  if (c.type === 'year_group') parts.push('7–13');
  if (c.type === 'attendance_code') parts.push('see "Attendance codes"');
  if (c.min !== undefined && c.max !== undefined) parts.push(`${c.min}–${c.max}`);
  else if (c.min !== undefined) parts.push(`≥ ${c.min}`);
  else if (c.max !== undefined) parts.push(`≤ ${c.max}`);
  return parts.join('; ');
}

/** One table per contract file: columns, types, required, accepted values, header aliases, key. */
export function renderContractReference(): string {
  const out: string[] = [];
  for (const type of RECORD_TYPES) {
    const spec = CONTRACT[type];
    out.push(`### ${spec.fileName}`, '');
    out.push(`Key: ${spec.key.map(code).join(' + ')} (within a school). ${spec.refersToPupil ? 'Every row must name a pupil of students.csv of the same school.' : ''}`.trimEnd(), '');
    out.push('| column | type | required | accepted | other header names |', '|---|---|---|---|---|');
    for (const c of spec.columns) {
      out.push(`| ${code(c.name)} | ${TYPE_WORDS[c.type]} | ${c.required ? 'yes' : ''} | ${accepted(c)} | ${(c.aliases ?? []).map(code).join(', ')} |`);
    }
    out.push('');
    for (const r of spec.rowChecks ?? []) out.push(`Rejected: a row where ${r.reason} (reported on ${code(r.column)}).`, '');
  }
  out.push('### Attendance codes', '');
  out.push(`Accepted (DfE, from August 2024): ${ATTENDANCE_CODES.map(code).join(' ')}.`, '');
  out.push(`Retired codes still found in older data, read and reported with a warning: ${RETIRED_ATTENDANCE_CODES.map(code).join(' ')}.`, '');
  out.push(`### The row's school`, '');
  out.push(`A column named ${SCHOOL_HEADERS.map(code).join(', ')} (in any file) gives each row its own school; an empty cell falls back to the folder name.`);
  return out.join('\n');
}

function describeColumn(rule: ProfileColumn): string {
  if ('from' in rule) {
    const values = rule.values ? `; values ${Object.entries(rule.values).map(([k, v]) => `${code(k)} → ${v === null ? 'empty' : code(v)}`).join(', ')}` : '';
    const otherwise = rule.otherwise !== undefined ? `; empty → ${code(rule.otherwise)}` : '';
    return `${rule.from.map(code).join(' or ')}${values}${otherwise}`;
  }
  return `derived from ${rule.reads.map(code).join(', ')} (see the profile's file)`;
}

function describePupil(p: VendorProfile['pupil']): string {
  if (!p) return 'the student_id column';
  const ways: string[] = [];
  if (p.id) ways.push(`id: ${p.id.map(code).join(' or ')}`);
  if (p.name) ways.push(`else name: ${p.name.map(code).join(' or ')}`);
  if (p.firstName && p.lastName) ways.push(`else forename ${p.firstName.map(code).join('/')} + surname ${p.lastName.map(code).join('/')}`);
  if (p.form) ways.push(`form (to tell names apart): ${p.form.map(code).join(' or ')}`);
  if (p.split) ways.push(`several pupils per cell${p.split.headers ? ` in ${p.split.headers.map(code).join(', ')}` : ''}, split on ${code(p.split.separator)}`);
  return ways.join('; ');
}

/** One section per profile: what it reads, how it is recognised, each column's source, its gaps. */
export function renderProfilesReference(): string {
  const out: string[] = [];
  for (const p of PROFILES) {
    out.push(`### ${p.name}`, '');
    out.push(`**${p.vendor}** — ${p.title}. Loads into ${code(CONTRACT[p.recordType].fileName)} (${p.recordType}).`, '');
    out.push(`Sources: ${p.sources.map((s) => (s.startsWith('http') ? `<${s}>` : s)).join('; ')}.`, '');
    out.push(`Recognised by the headers: ${p.recognise.map((g) => g.map(code).join(' or ')).join(', and ')}.`, '');
    out.push('| contract column | from the export |', '|---|---|');
    out.push(`| ${code('student_id')} | ${describePupil(p.pupil)} |`);
    for (const [column, rule] of Object.entries(p.columns)) out.push(`| ${code(column)} | ${describeColumn(rule)} |`);
    out.push('');
    if (p.rejectRows?.length) {
      out.push('Rows rejected by the profile:', '');
      for (const r of p.rejectRows) out.push(`- ${r.reason} (${r.reads.map(code).join(', ')})`);
      out.push('');
    }
    out.push('Known gaps:', '');
    for (const g of p.gaps) out.push(`- ${g}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
export const GENERATED = [
  { file: `${DOCS}data-contract.md`, name: 'contract', render: renderContractReference },
  { file: `${DOCS}vendor-profiles.md`, name: 'profiles', render: renderProfilesReference },
] as const;

const markers = (name: string) => [`<!-- generated:${name} (npx tsx data-loaders/docs.ts --write) -->`, `<!-- /generated:${name} -->`] as const;

/** The generated block of a doc as it stands in the file, or null when the markers are missing. */
export function generatedBlock(text: string, name: string): string | null {
  const [start, end] = markers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) return null;
  return text.slice(from + start.length, to).trim();
}

function writeGenerated(): void {
  for (const doc of GENERATED) {
    const text = readFileSync(doc.file, 'utf-8');
    const [start, end] = markers(doc.name);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < 0) throw new Error(`${doc.file}: markers ${start} … ${end} not found`);
    writeFileSync(doc.file, `${text.slice(0, from + start.length)}\n\n${doc.render()}\n\n${text.slice(to)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) writeGenerated();
