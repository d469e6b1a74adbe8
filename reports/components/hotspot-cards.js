import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {breakdownBars} from "./breakdown-bars.js";
import {ukDate} from "./format.js";
import {weekdayPeriodHeatmap} from "./heatmap.js";

/**
 * The weekly review's when / what / where / which-lessons cards for one year group and week.
 * `hotspots`: the year group's rows of mart_behaviour_hotspots (every week of every year, so
 * the heatmap keeps every period seen this year as a column, in the school day's order).
 */
export function hotspotCards(hotspots, {school, academicYear, yearGroup, week}) {
  const weekRows = hotspots.filter((d) => d.school_id === school && d.week_start === week && d.year_group === yearGroup);
  const heat = weekRows.filter((d) => d.dimension === "weekday_period");
  const periodRows = hotspots.filter((d) => d.school_id === school && d.academic_year === academicYear && d.year_group === yearGroup && d.dimension === "weekday_period");
  const periods = [...new Set(periodRows.map((d) => d.period))];
  const order = new Map(periodRows.map((d) => [d.period, d.period_order]));
  const none = heat.length === 0;
  const bars = (dimension, label) => resize((width) => breakdownBars(weekRows.filter((d) => d.dimension === dimension), {width, label}));
  const empty = html`<p class="empty">No negative events were recorded for Year ${yearGroup} in this week.</p>`;
  return html.fragment`<div class="card">
    <h2>When: negative events by weekday and period, w/c ${ukDate(week)}</h2>
    ${none ? empty : resize((width) => weekdayPeriodHeatmap(heat, {width, periods, order}))}
  </div>
  <div class="card">
    <h2>What: negative events by category, w/c ${ukDate(week)}</h2>
    ${none ? empty.cloneNode(true) : bars("category", "Categories")}
  </div>
  <div class="card">
    <h2>Where: negative events by location</h2>
    ${none ? html`<p class="empty">Nothing to show for this week.</p>` : bars("location", "Locations")}
  </div>
  <div class="card">
    <h2>Which lessons: negative events by subject</h2>
    ${none ? html`<p class="empty">Nothing to show for this week.</p>` : bars("subject", "Subjects")}
  </div>`;
}
