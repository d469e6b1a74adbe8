import { mapCanonicalColumns, mapProfileColumns, type ColumnMapping } from './column-mapping.ts';
import { CONTRACT, RECORD_TYPES, type FileSpec, type RecordType } from './contract.ts';
import { CANONICAL, PROFILES, recognises, type VendorProfile } from './profiles/index.ts';

/** How one export file is read: the canonical contract, or a vendor profile onto a record type. */
export interface Layout {
  readonly spec: FileSpec;
  /** Null for the canonical layout. */
  readonly profile: VendorProfile | null;
  readonly mapping: ColumnMapping;
  /** Why this layout, for the report ("file name", "headers", "--profile"). */
  readonly chosenBy: string;
}

export type LayoutChoice = { layout: Layout } | { ignored: string };

export const layoutName = (layout: Layout) => layout.profile?.name ?? CANONICAL;

/** The record type a file is named after (`Behaviour.CSV` → behaviour), if any. */
export function canonicalTypeOf(fileName: string): RecordType | undefined {
  return RECORD_TYPES.find((t) => CONTRACT[t].fileName === fileName.toLowerCase());
}

function candidate(spec: FileSpec, profile: VendorProfile | null, headers: readonly string[], chosenBy: string): Layout {
  const mapping = profile ? mapProfileColumns(spec, profile, headers) : mapCanonicalColumns(spec, headers);
  return { spec, profile, mapping, chosenBy };
}

/** How much of the file a layout reads: the columns it maps (the more specific layout wins). */
const score = (layout: Layout, headers: readonly string[]) => headers.length - layout.mapping.extraHeaders.length;

/** The best-scoring layout, or why none could be chosen. */
function best(layouts: readonly Layout[], headers: readonly string[], none: string): LayoutChoice {
  if (layouts.length === 0) return { ignored: none };
  const scored = layouts.map((l) => ({ l, s: score(l, headers) })).sort((a, b) => b.s - a.s);
  const top = scored.filter((x) => x.s === scored[0].s);
  if (top.length > 1) {
    return { ignored: `headers fit several layouts equally (${top.map((x) => layoutName(x.l)).join(', ')}): choose one with --profile NAME` };
  }
  return { layout: scored[0].l };
}

/**
 * Chooses how to read one file. A file named after a record type (behaviour.csv) is read as that
 * type: canonically, or with a profile of that type given by --profile, or (when its headers are
 * a vendor layout and not the contract's) with the vendor profile they match. Any other .csv is
 * recognised from its headers among the canonical layouts and the vendor profiles (or the
 * profiles given by --profile); one that fits none is ignored, with the reason.
 */
export function chooseLayout(fileName: string, headers: readonly string[], forced: readonly VendorProfile[] = []): LayoutChoice {
  const found = headers.filter((h) => h !== '').join(', ') || '(none)';
  const named = canonicalTypeOf(fileName);
  if (named) {
    const spec = CONTRACT[named];
    const forcedHere = forced.filter((p) => p.recordType === named);
    if (forcedHere.length === 1) return { layout: candidate(spec, forcedHere[0], headers, '--profile') };
    if (forcedHere.length > 1) {
      const fits = forcedHere.filter((p) => recognises(p, headers)).map((p) => candidate(spec, p, headers, '--profile + headers'));
      return best(fits, headers, `headers match none of the profiles given for ${named} (${forcedHere.map((p) => p.name).join(', ')}); columns found: ${found}`);
    }
    const canonical = candidate(spec, null, headers, 'file name');
    if (canonical.mapping.missingRequired.length === 0) return { layout: canonical };
    const vendor = PROFILES.filter((p) => p.recordType === named && recognises(p, headers)).map((p) => candidate(spec, p, headers, 'file name + headers'));
    // No vendor layout fits either: read it canonically, so the missing column is reported.
    return vendor.length > 0 ? best(vendor, headers, '') : { layout: canonical };
  }
  if (forced.length === 1) return { layout: candidate(CONTRACT[forced[0].recordType], forced[0], headers, '--profile') };
  const pool = forced.length > 0 ? forced : PROFILES;
  const layouts = pool.filter((p) => recognises(p, headers)).map((p) => candidate(CONTRACT[p.recordType], p, headers, 'headers'));
  if (forced.length === 0) {
    for (const type of RECORD_TYPES) {
      const canonical = candidate(CONTRACT[type], null, headers, 'headers');
      if (canonical.mapping.missingRequired.length === 0) layouts.push(canonical);
    }
  }
  const none =
    forced.length > 0
      ? `headers match none of the profiles given (${forced.map((p) => p.name).join(', ')}); columns found: ${found}`
      : `not a known layout: the headers match no contract file and no vendor profile; columns found: ${found}. Name it after its record type (behaviour.csv, attendance.csv, …) or choose a profile with --profile NAME`;
  return best(layouts, headers, none);
}
