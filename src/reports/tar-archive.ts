import { Bool, DataType, Dictionary, Float64, Int16, Int32, Int8, Null, Table, Utf8, type Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Row } from './mart-export.ts';

/**
 * Several page files from one data loader. Framework extracts members of a `.tar` that a
 * loader writes (`data/pupil-detail.tar.ts` → `FileAttachment("data/pupil-detail/b07.arrow")`)
 * and publishes only the members pages name. One loader run then writes many small files:
 * pages can fetch just the one they need, without one loader process (≈1 s each, run one after
 * another by Framework) per file.
 */
export interface TarEntry {
  /** Member path inside the archive, e.g. "b07.arrow" (ASCII, at most 100 characters). */
  name: string;
  data: Uint8Array | string;
}

const BLOCK = 512;

function writeField(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > length) throw new Error(`tar header field too long: "${text}" (max ${length} bytes)`);
  header.set(bytes, offset);
}

/** Octal number, zero-padded, NUL-terminated, as ustar wants. */
function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function headerFor(name: string, size: number): Uint8Array {
  if (!/^[\x20-\x7e]+$/.test(name)) throw new Error(`tar member name must be printable ASCII: "${name}"`);
  const header = new Uint8Array(BLOCK);
  writeField(header, 0, 100, name);
  writeField(header, 100, 8, octal(0o644, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  writeField(header, 124, 12, octal(size, 12));
  // A fixed mtime: the same data gives the same archive, byte for byte.
  writeField(header, 136, 12, octal(0, 12));
  header.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeField(header, 156, 1, '0'); // regular file
  writeField(header, 257, 6, 'ustar\0');
  writeField(header, 263, 2, '00');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeField(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** A POSIX ustar archive of the entries, in order, ending with the two zero blocks. */
export function tarArchive(entries: readonly TarEntry[]): Uint8Array {
  const names = new Set<string>();
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`duplicate tar member: ${entry.name}`);
    names.add(entry.name);
    const data = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data;
    parts.push(headerFor(entry.name, data.length), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The narrowest Arrow type for a column's values (all null → Null). */
function columnType(values: readonly (string | number | boolean | null)[]): DataType {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return new Null();
  if (present.every((v) => typeof v === 'boolean')) return new Bool();
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    if (!numbers.every(Number.isInteger)) return new Float64();
    const max = Math.max(...numbers.map(Math.abs));
    return max < 2 ** 7 ? new Int8() : max < 2 ** 15 ? new Int16() : new Int32();
  }
  // Strings (and anything mixed, as text): dictionary-encoded, with the narrowest index.
  const distinct = new Set(present.map(String)).size;
  return new Dictionary(new Utf8(), distinct < 2 ** 7 ? new Int8() : distinct < 2 ** 15 ? new Int16() : new Int32());
}

/**
 * Arrow IPC bytes of the rows, keeping only `columns`, each column in the narrowest type that
 * holds it (small integers as Int8/Int16, strings dictionary-encoded with the smallest index):
 * pupil-level files stay several times smaller than with inferred Float64/Int32 columns. A
 * column with only nulls has the Null type; no rows give a readable, empty table.
 */
export function arrowFile(rows: readonly Row[], columns: readonly string[]): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    const values = rows.map((r) => r[column] ?? null);
    const type = columnType(values);
    const typed = DataType.isDictionary(type) ? values.map((v) => (v === null ? null : String(v))) : values;
    vectors[column] = vectorFromArray(typed, type);
  }
  return tableToIPC(new Table(vectors), 'file');
}

/** Writes the archive to stdout (a Framework loader's output) and waits until it is flushed. */
export async function writeTar(entries: readonly TarEntry[]): Promise<void> {
  const bytes = tarArchive(entries);
  await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}
