// Types for scan-bytes.mjs (plain JavaScript, so a worker thread can run it without tsx).

/** What one streamed pass over an export's bytes learns (scan-bytes.mjs). */
export interface ByteScan {
  size: number;
  sha256: string;
  /** Whether the whole file is UTF-8 (as `isUtf8` of all its bytes). */
  utf8: boolean;
  /** Each LF, and each CR not followed by LF. */
  breaks: number;
  /** Each LF (CRLF or alone). */
  lf: number;
  /** Each CR followed by LF. */
  crlf: number;
  /** The file's last byte (-1 when it is empty). */
  lastByte: number;
  /** Its first `headBytes` bytes (fewer when the file is shorter). */
  head: Buffer;
}

export const CHUNK_BYTES: number;

export function scanBytes(filePath: string, headBytes: number, chunkBytes?: number): ByteScan;
