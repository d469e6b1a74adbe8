/**
 * Number of pages in a PDF, read from the file itself: the `/Count` of the page tree's root
 * (the largest /Count in the file: nested page trees count fewer), falling back to counting
 * page objects. Enough for PDFs Chromium writes; not a general PDF parser.
 */
export function pdfPageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString('latin1');
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) =>
    Number(m[1] ?? m[2]),
  );
  if (counts.length > 0) return Math.max(...counts);
  return [...text.matchAll(/\/Type\s*\/Page(?![s\w])/g)].length;
}
