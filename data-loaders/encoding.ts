import { isUtf8 } from 'node:buffer';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

const cp1252 = new TextDecoder('windows-1252');
/** Replaces each byte sequence that is not UTF-8 with U+FFFD (never throws). */
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });
export const REPLACEMENT = '\uFFFD';

/** How a file's bytes were judged: the encoding, and the evidence it was chosen on. */
export interface EncodingEvidence {
  encoding: Encoding;
  /** Well-formed UTF-8 sequences of two to four bytes (accented letters, £, €, ’ …); -1 (not counted) for a valid UTF-8 file. */
  validSequences: number;
  /** Bytes (or broken sequences) that cannot be UTF-8. */
  invalidSequences: number;
}

/**
 * Decides a file's encoding on evidence. Valid UTF-8 is UTF-8. Otherwise the bytes above 127 are
 * counted as well-formed UTF-8 sequences or not: a Windows-1252 export (é, £ as single bytes)
 * has hardly any well-formed sequences, because a 1252 letter is seldom followed by the one or
 * two symbols that would complete one; a UTF-8 export with a stray byte (a value pasted from
 * an older system) has well-formed sequences and a few broken ones. So: a byte-order mark, or at
 * least as many well-formed sequences as broken ones (and at least one), means UTF-8 with a few
 * bad bytes (their rows are rejected; the rest is read as UTF-8); otherwise Windows-1252. A file
 * with no bytes above 127 but the broken ones is read as Windows-1252, which is what such a byte
 * most likely is (and every other byte reads the same either way).
 */
export function judgeEncoding(bytes: Uint8Array): EncodingEvidence {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (isUtf8(bytes)) return { encoding: hasBom ? 'utf-8-bom' : 'utf-8', validSequences: -1, invalidSequences: 0 };
  let validSequences = 0;
  let invalidSequences = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    // The well-formed ranges of the Unicode standard (table 3-7): no overlongs, no surrogates.
    // A broken sequence counts once for its lead byte and the continuation bytes that fitted
    // (its "maximal subpart"), as a decoder shows it: one U+FFFD.
    const following = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let fitted = 0;
    while (fitted < following && i + 1 + fitted < n) {
      const c = bytes[i + 1 + fitted];
      if (fitted === 0 ? c < low || c > high : c < 0x80 || c > 0xbf) break;
      fitted += 1;
    }
    if (following > 0 && fitted === following) validSequences += 1;
    else invalidSequences += 1;
    i += fitted;
  }
  const utf8 = hasBom || (validSequences > 0 && validSequences >= invalidSequences);
  return { encoding: utf8 ? (hasBom ? 'utf-8-bom' : 'utf-8') : 'windows-1252', validSequences, invalidSequences };
}

/** The bytes as text, in the encoding judged (U+FFFD for the bad bytes of a UTF-8 file). */
export function decodeAs(bytes: Uint8Array, evidence: EncodingEvidence): string {
  if (evidence.encoding === 'windows-1252') return cp1252.decode(bytes);
  return evidence.invalidSequences > 0 ? utf8Lenient.decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf-8');
}

/** Physical lines (1 = header) holding U+FFFD, the first `max` of them. */
export function linesWithReplacement(text: string, max: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (let i = text.indexOf(REPLACEMENT); i >= 0 && lines.length < max; i = text.indexOf(REPLACEMENT, i + 1)) {
    for (let j = text.indexOf('\n', from); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) {
      line += 1;
      from = j + 1;
    }
    if (lines[lines.length - 1] !== line) lines.push(line);
  }
  return lines;
}
