import {html} from "npm:htl";

/**
 * A printable list of pupils: one row per pupil, every value as text. Columns:
 * {label, value: (row) → text or node, className}; className "fill-in" draws an empty box to
 * write in when there is no value yet (the BSC register's booklet, conduct and outcome).
 */
export function dailyListTable(rows, columns) {
  return html`<div class="table-scroll"><table class="pupil-list">
    <thead><tr>${columns.map((c) => html`<th class=${c.className ?? ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map((c) => {
      const value = c.value(row);
      const blank = value === null || value === undefined || value === "";
      return html`<td class=${c.className ?? ""}>${blank ? (c.className === "fill-in" ? "" : "–") : value}</td>`;
    })}</tr>`)}</tbody>
  </table></div>`;
}
