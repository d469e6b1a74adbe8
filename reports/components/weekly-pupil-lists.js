import {html} from "npm:htl";
import {ukDate} from "./format.js";
import {pupilsOfConcernTable} from "./pupils-of-concern.js";
import {watchlistNewTable} from "./watchlist-new.js";

/**
 * The weekly review's two pupil lists for one school, week and year group (rows of the year
 * group's weekly-review-pupils file): pupils of concern this week, and new on the watchlist.
 */
export function weeklyPupilLists(rows, {school, week, yearGroup}) {
  const thisWeek = rows.filter((d) => d.school_id === school && d.week_start === week);
  const list = (name) => thisWeek.filter((d) => d.list === name).sort((a, b) => a.rank - b.rank);
  const concern = list("concern");
  const watchlistNew = list("watchlist-new");
  return html.fragment`<div class="card">
  <h2>Pupils of concern this week — Year ${yearGroup}, w/c ${ukDate(week)}</h2>
  <p class="muted">Pupils with 2 or more negative events, a serious incident (severity 4+) or a BSC placement this week; most negative events first, up to 10. <strong>▲ rising</strong>: at least 2 more than the pupil's own weekly average over the 4 weeks before. Names link to the pupil profile.</p>
  ${concern.length > 0 ? pupilsOfConcernTable(concern) : html`<p class="empty">No Year ${yearGroup} pupil had 2 or more negative events, a serious incident or a BSC placement in this week.</p>`}
</div>

<div class="card">
  <h2>New on the watchlist this week — Year ${yearGroup}</h2>
  <p class="muted">Pupils on the early-intervention watchlist at the end of this week who were not on it the week before, with the reasons. The watchlist compares each pupil's recent weeks with their own earlier weeks, so in the first weeks of the data almost everyone listed is new. Rank is within the whole school.</p>
  ${watchlistNew.length > 0 ? watchlistNewTable(watchlistNew) : html`<p class="empty">No Year ${yearGroup} pupil joined the watchlist in the week commencing ${ukDate(week)}.</p>`}
</div>`;
}
