import { normaliseHeader, type ColumnSpec, type FileSpec } from './contract.ts';
import { ident } from '../src/warehouse/warehouse.ts';

/** Where one contract column's text comes from in the source file. */
export interface ColumnSource {
  readonly column: ColumnSpec;
  /** The header (as written in the file) it was read from, for reject reports. */
  readonly header: string;
  /** SQL over the positional source columns c1…cN giving the column's text. */
  readonly textExpr: string;
}

export interface ColumnMapping {
  readonly sources: readonly ColumnSource[];
  /** Headers not used by the contract: kept in `extra` JSON. */
  readonly extraHeaders: ReadonlyArray<{ header: string; position: number }>;
  readonly missingRequired: readonly string[];
}

/** Positional name DuckDB gives source column i (0-based). */
export const sourceColumn = (i: number) => `c${i + 1}`;

/**
 * Matches a file's headers to the contract, ignoring case, spaces and punctuation, and
 * accepting the aliases listed in the contract. The first header that matches wins.
 */
export function mapCanonicalColumns(spec: FileSpec, headers: readonly string[]): ColumnMapping {
  const byNormal = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = normaliseHeader(h);
    if (!byNormal.has(n)) byNormal.set(n, i);
  });
  const used = new Set<number>();
  const sources: ColumnSource[] = [];
  const missingRequired: string[] = [];
  for (const column of spec.columns) {
    const candidates = [column.name, ...(column.aliases ?? [])].map(normaliseHeader);
    const position = candidates.map((c) => byNormal.get(c)).find((p) => p !== undefined && !used.has(p));
    if (position === undefined) {
      if (column.required) missingRequired.push(column.name);
      continue;
    }
    used.add(position);
    sources.push({ column, header: headers[position], textExpr: ident(sourceColumn(position)) });
  }
  const extraHeaders = headers.flatMap((header, position) => (used.has(position) ? [] : [{ header, position }]));
  return { sources, extraHeaders, missingRequired };
}
