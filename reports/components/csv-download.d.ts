// Types for csv-download.js, so TypeScript tests can import the very module the pages use.
export type CsvColumn = string | { key: string; label: string };
export function excelSafeCell(value: unknown): string;
export function toExcelSafeCsv(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly CsvColumn[]): string;
export function downloadText(text: string, filename: string, type?: string): void;
export function csvDownloadButton(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly CsvColumn[], options?: { filename?: string; label?: string }): HTMLButtonElement;
