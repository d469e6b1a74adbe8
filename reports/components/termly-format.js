import {html} from "npm:htl";

const SMALL = "fewer than 5";

/**
 * A figure as shown on the termly report. Suppressed figures never reached the browser (SQL
 * hid them): "<5" when the count itself was below 5, "suppressed" when a figure of 5 or more
 * was hidden so that a small one cannot be worked out from a total. An en dash when there is
 * no figure (nothing to compare with). `field`: value (default), count, rest_value, risk_ratio,
 * previous_value, previous_count or change.
 */
export function figureText(figure, {field = "value", digits = 1, suffix = "", signed = false} = {}) {
  if (figure === null || figure === undefined) return "–";
  const previous = field === "previous_value" || field === "previous_count";
  if (previous && figure.previous_suppressed) return figure.previous_suppression === SMALL ? "<5" : "suppressed";
  if (field === "change" && (figure.suppressed || figure.previous_suppressed)) return "–";
  if (!previous && field !== "change" && figure.suppressed) return figure.suppression === SMALL ? "<5" : "suppressed";
  const value = figure[field];
  if (value === null || value === undefined) return "–";
  const text = Math.abs(value).toLocaleString("en-GB", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  const sign = value > 0 ? (signed ? "+" : "") : value < 0 ? "−" : "";
  return `${sign}${text}${suffix}`;
}

/** The same as a table cell: suppressed markers are styled and explained on hover. */
export function figureCell(figure, options = {}) {
  const text = figureText(figure, options);
  if (text === "<5") return html`<span class="termly-suppressed" title="Fewer than 5: not shown">&lt;5</span>`;
  if (text === "suppressed") return html`<span class="termly-suppressed" title="Hidden so that a number below 5 cannot be worked out from a total">suppressed</span>`;
  return text;
}
