// CSV downloads that open safely in Excel. The cell rule is ./excel-safe.js, the same module
// the rejects CSV of an import uses (src/csv/excel-safe.ts): one rule for both writers.
// Plain JavaScript importing only that module, so vitest can import it directly.
import {excelSafeCell} from "./excel-safe.js";

export {excelSafeCell};

/** RFC 4180 quoting: fields with a comma, quote, line break or edge spaces are quoted. */
function quoteField(text) {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV a user can open safely in Excel: UTF-8 with a byte-order mark (so Excel reads accents
 * in names), CRLF line ends, every cell neutralised. `columns` are keys of the rows, or
 * `{key, label}` to give the header a readable name.
 */
export function toExcelSafeCsv(rows, columns) {
  const specs = columns.map((c) => (typeof c === "string" ? {key: c, label: c} : c));
  const line = (cells) => cells.map((cell) => quoteField(excelSafeCell(cell))).join(",");
  const lines = [line(specs.map((c) => c.label)), ...rows.map((row) => line(specs.map((c) => row[c.key])))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Offers `text` to the browser as a file download. */
export function downloadText(text, filename, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A "Download CSV" button for the rows (hidden when printing). */
export function csvDownloadButton(rows, columns, {filename, label = "Download CSV"} = {}) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "csv-download no-print";
  button.textContent = `${label} (${rows.length} row${rows.length === 1 ? "" : "s"})`;
  button.disabled = rows.length === 0;
  button.addEventListener("click", () => downloadText(toExcelSafeCsv(rows, columns), filename));
  return button;
}
