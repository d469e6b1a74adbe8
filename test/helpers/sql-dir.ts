import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { SQL_DIR } from '../../src/models/model-files.ts';

/** A throwaway sql/ folder for the model runner: { 'marts/a.sql': 'select …' }. */
export function sqlDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-'));
  for (const [file, sql] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), sql);
  }
  return dir;
}

/** A copy of sql/ with one model's text replaced (the text must be there). */
export function sqlWith(file: string, from: string, to: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-'));
  cpSync(SQL_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf-8');
  expect(text).toContain(from);
  writeFileSync(target, text.replace(from, to));
  return dir;
}
