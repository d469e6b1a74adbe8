/**
 * DuckDB's memory settings, apart from the DuckDB client so the CLI can check a --memory-limit
 * without loading the native module.
 */
import os from 'node:os';
import path from 'node:path';

const MIB = 1024 * 1024;

/**
 * DuckDB's own default is 80% of RAM, which on an 8 GB school laptop leaves too little for the
 * browser and Office beside it. 3 GiB, or 40% of RAM where that is less: past it DuckDB spills
 * to the temporary folder beside the warehouse instead of growing.
 */
export function defaultMemoryLimit(totalBytes = os.totalmem()): string {
  const mib = Math.min(3 * 1024, Math.floor((totalBytes * 0.4) / MIB));
  return `${Math.max(256, mib)}MB`;
}

/** `4GB`, `3.5GiB`, `800MB`: what DuckDB's memory_limit accepts, checked before DuckDB sees it. */
export function isMemoryLimit(value: string): boolean {
  return /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value.trim());
}

/** Where DuckDB spills when a query outgrows the memory limit: beside the warehouse, git-ignored with it. */
export function tempDirectoryFor(dbPath: string): string {
  return `${path.resolve(dbPath)}.tmp`;
}
