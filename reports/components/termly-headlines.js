import {html} from "npm:htl";
import {figureText} from "./termly-format.js";

const direction = (change, unit) =>
  change === null || change === undefined ? "" : change > 0 ? `, up ${Math.abs(change).toFixed(1)} ${unit}` : change < 0 ? `, down ${Math.abs(change).toFixed(1)} ${unit}` : ", unchanged";

const WHO = {
  "No SEN": "Pupils with no SEN", "SEN support": "Pupils on SEN support", "EHC plan": "Pupils with an EHC plan",
  "Disadvantaged (PP or FSM)": "Disadvantaged pupils (pupil premium or free school meals)",
  EAL: "Pupils with English as an additional language",
  Girls: "Girls", Boys: "Boys", "Gender X": "Pupils recorded as gender X"
};

/**
 * The term in five plain sentences for governors, built only from figures already shown below
 * (suppressed ones are said to be suppressed, never guessed). `at` = report.at(school, term).
 */
export function termlyHeadlines(at, {previousLabel, repeatWindowDays}) {
  const usable = (f) => f && !f.suppressed && f.value !== null;
  const since = previousLabel ? ` on ${previousLabel}` : "";
  const items = [];

  const negative = at.get("negative_per_100_per_week");
  if (usable(negative)) {
    const byYear = at.list("negative_per_100_per_week", "year_group").filter(usable);
    const top = byYear.reduce((a, b) => (b.value > (a?.value ?? -Infinity) ? b : a), null);
    items.push(html`<li><b>Behaviour:</b> ${figureText(negative)} negative events per 100 pupils per week${
      usable(negative) && !negative.previous_suppressed ? direction(negative.change, `per 100 pupils${since}`) : ""}.${
      top ? ` ${top.label} had the highest rate (${figureText(top)} per 100 pupils per week).` : ""}</li>`);
  }

  const absence = at.get("absence_pct");
  const pa = at.get("persistent_absence_pct");
  if (usable(absence)) {
    items.push(html`<li><b>Attendance:</b> pupils missed ${figureText(absence)}% of possible sessions${
      !absence.previous_suppressed ? direction(absence.change, `percentage points${since}`) : ""}; ${
      usable(pa) ? `${figureText(pa)}% of pupils were persistently absent (missed 10% or more of their sessions).` : "persistent absence is suppressed."}</li>`);
  }

  const bsc = at.get("bsc_placements");
  const repeat = at.get("bsc_repeat_rate");
  items.push(html`<li><b>Behaviour Support Centre:</b> ${figureText(bsc, {field: "count", digits: 0})} placements (${figureText(bsc)} per 100 pupils); ${
    usable(repeat) ? `${figureText(repeat)}% of the pupils placed were referred again within ${repeatWindowDays} school days.` : "repeat referrals are suppressed (too few)."}</li>`);

  const suspensions = at.get("suspensions");
  const days = at.get("days_lost");
  const reasons = at.list("suspensions_by_reason", "reason").filter(usable);
  const topReason = reasons.reduce((a, b) => (b.value > (a?.value ?? -Infinity) ? b : a), null);
  items.push(html`<li><b>Suspensions:</b> ${figureText(suspensions, {field: "count", digits: 0})} suspensions (${figureText(suspensions)} per 100 pupils), ${
    figureText(days, {digits: 1})} school days lost${topReason ? `; the most common reason was ${topReason.label.toLowerCase()} (${figureText(topReason, {digits: 0})}% of suspensions)` : ""}.</li>`);

  const gaps = ["suspensions", "negative_per_100_per_week", "persistent_absence_pct"].flatMap((m) =>
    ["SEN", "Disadvantaged", "EAL", "Gender"].flatMap((b) => at.list(m, b)).filter((f) => usable(f) && f.risk_ratio !== null).map((f) => ({...f, m}))
  );
  const widest = gaps.reduce((a, b) => (b.risk_ratio > (a?.risk_ratio ?? -Infinity) ? b : a), null);
  if (widest && widest.risk_ratio >= 1.5) {
    const what = {suspensions: "suspended", negative_per_100_per_week: "involved in negative behaviour events", persistent_absence_pct: "persistently absent"}[widest.m];
    items.push(html`<li><b>Widest gap:</b> ${WHO[widest.label] ?? widest.label} were ${what} at ${widest.risk_ratio.toFixed(1)} times the rate of other pupils.</li>`);
  }
  return html`<ul class="termly-headlines">${items}</ul>`;
}
