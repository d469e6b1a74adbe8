import {html} from "npm:htl";

/**
 * A plain HTML table for the termly report (not Inputs.table: that one scrolls and renders only
 * the visible rows, so a printout would lose the rest). `columns`: [{label, value: (row) → text
 * or node, align: "left" | "right", title, count}]. Numbers align right; headers carry their
 * units; `count: true` (or a function of the row) marks cells holding counts (class "count": the page test checks that
 * none shows a number below 5).
 */
export function termlyTable(rows, columns, {caption} = {}) {
  return html`<table class="termly-table">
    ${caption ? html`<caption>${caption}</caption>` : ""}
    <thead><tr>${columns.map((c) => html`<th class=${c.align === "left" ? "left" : "right"} title=${c.title ?? ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map((c) => {
      const count = typeof c.count === "function" ? c.count(row) : c.count;
      return html`<td class=${`${c.align === "left" ? "left" : "right"}${count ? " count" : ""}`}>${c.value(row)}</td>`;
    })}</tr>`)}</tbody>
  </table>`;
}
