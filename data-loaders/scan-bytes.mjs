// What ingest learns from an export's bytes in one streamed pass: its SHA-256 (the import log),
// whether it is UTF-8, how many line breaks it has (the direct path's count: source-file.ts,
// `recordsAtMost`), its last byte and its first bytes (the header). Plain JavaScript with Node's
// own modules only, so scan-worker.mjs can run it in a worker thread without tsx; source-file.ts
// runs the same function in the main thread where no worker is at hand.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read at a time. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Scans the file at `filePath` in chunks of `chunkBytes` (smaller in tests, to put chunk
 * boundaries inside CRLFs and multi-byte characters). `headBytes` of its start are kept.
 *
 * - UTF-8: each chunk is checked up to and including its last ASCII byte, the rest carried into
 *   the next chunk. An ASCII byte is never part of a multi-byte sequence, so the pieces are all
 *   UTF-8 exactly when the whole file is (what `isUtf8` of the whole file says).
 * - Line breaks: each LF, and each CR not followed by LF (a CR ending a chunk looks at the next
 *   chunk's first byte), as `lineBreaks` in source-file.ts counts them in a whole buffer; and,
 *   to tell a file whose line ends are of more than one kind, the LFs and the CRLFs among them.
 *
 * @param {string} filePath
 * @param {number} headBytes
 * @param {number} [chunkBytes]
 * @returns {{ size: number, sha256: string, utf8: boolean, breaks: number, lf: number, crlf: number, lastByte: number, head: Buffer }}
 */
export function scanBytes(filePath, headBytes, chunkBytes = CHUNK_BYTES) {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const head = Buffer.alloc(headBytes);
  let headLength = 0;
  let size = 0;
  let utf8 = true;
  /** Bytes after the last ASCII byte of the chunks so far, not yet checked. */
  let carry = Buffer.alloc(0);
  let breaks = 0;
  let lf = 0;
  let crlf = 0;
  /** The previous chunk ended with a CR (counted once the next byte is known). */
  let pendingCr = false;
  let lastByte = -1;
  const fd = openSync(filePath, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      if (headLength < headBytes) {
        const take = Math.min(n, headBytes - headLength);
        chunk.copy(head, headLength, 0, take);
        headLength += take;
      }
      size += n;
      lastByte = chunk[n - 1];
      if (utf8) {
        let lastAscii = n - 1;
        while (lastAscii >= 0 && chunk[lastAscii] >= 0x80) lastAscii -= 1;
        if (lastAscii < 0) {
          carry = Buffer.concat([carry, chunk]);
        } else {
          const piece = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, lastAscii + 1)]) : chunk.subarray(0, lastAscii + 1);
          if (!isUtf8(piece)) utf8 = false;
          carry = Buffer.from(chunk.subarray(lastAscii + 1));
        }
      }
      if (pendingCr && chunk[0] !== 0x0a) breaks += 1;
      if (pendingCr && chunk[0] === 0x0a) crlf += 1;
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lf += 1;
      for (let i = chunk.indexOf(0x0d); i >= 0; i = chunk.indexOf(0x0d, i + 1)) {
        if (i === n - 1) break;
        if (chunk[i + 1] !== 0x0a) breaks += 1;
        else crlf += 1;
      }
      pendingCr = chunk[n - 1] === 0x0d;
    }
  } finally {
    closeSync(fd);
  }
  if (pendingCr) breaks += 1;
  breaks += lf;
  if (utf8 && carry.length > 0 && !isUtf8(carry)) utf8 = false;
  return { size, sha256: hash.digest('hex'), utf8, breaks, lf, crlf, lastByte, head: head.subarray(0, headLength) };
}
