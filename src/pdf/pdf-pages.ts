import { PDFDocument } from 'pdf-lib';

/**
 * Number of pages in a PDF, from its page tree as pdf-lib reads it (cross-reference tables and
 * streams, object streams, nested page trees). Throws when the bytes are not a PDF.
 */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPageCount();
}
