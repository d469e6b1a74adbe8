
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

/** Writes the archive to stdout (a Framework loader's output) and waits until it is flushed. */
export async function writeTar(entries: readonly TarEntry[]): Promise<void> {
  const bytes = tarArchive(entries);
  await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}
