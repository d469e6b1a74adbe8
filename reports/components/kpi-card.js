import {html} from "npm:htl";

/**
 * One KPI card: a big figure, what it is per, and how it compares.
 * `better` says which direction is good ("down" for incidents, "up" for attendance), so the
 * comparison is coloured by meaning, with an arrow and words as well as colour.
 */
export function kpiCard({title, value, unit = "", detail = "", comparisons = [], better = "down"}) {
  return html`<div class="card kpi">
    <h2>${title}</h2>
    <span class="big">${value}</span>${unit ? html`<span class="kpi-unit"> ${unit}</span>` : ""}
    ${detail ? html`<div class="kpi-detail">${detail}</div>` : ""}
    ${comparisons.map(({label, change, text}) => {
      const good = change === null || change === undefined || change === 0 ? "same" : (change < 0) === (better === "down") ? "good" : "bad";
      const arrow = good === "same" ? "" : change > 0 ? "▲" : "▼";
      return html`<div class="kpi-compare ${good}">${arrow} ${text} <span class="muted">${label}</span></div>`;
    })}
  </div>`;
}
