import {html} from "npm:htl";

/**
 * A plain table of one pupil's records. `columns`: {label, value: (row) → text or node,
 * className}. Text is always inserted as text (htl escapes it): free-text comments can hold
 * markup, and it must show as typed, never run.
 */
export function recordTable(rows, columns) {
  return html`<div class="table-scroll"><table class="pupil-list">
    <thead><tr>${columns.map((c) => html`<th class=${c.className ?? ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map((c) => {
      const value = c.value(row);
      return html`<td class=${c.className ?? ""}>${value === null || value === undefined || value === "" ? "–" : value}</td>`;
    })}</tr>`)}</tbody>
  </table></div>`;
}
