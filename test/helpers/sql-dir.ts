import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throwaway sql/ folder for the model runner: { 'marts/a.sql': 'select …' }. */
export function sqlDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-'));
  for (const [file, sql] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), sql);
  }
  return dir;
}
