import {html} from "npm:htl";
import {ukDate} from "./format.js";

/** The pupil profile's header: name, form, year, id, school, leaving date and the support running in the last week (or that no pupil matched). */
export function pupilHeader(pupil, {activeNow, lastWeek}) {
  if (!pupil) return html`<p class="empty">No pupil matches the search: clear it or try part of a surname, a form (e.g. 9R) or a pupil id.</p>`;
  const inWeek = lastWeek ? ` in the week of ${ukDate(lastWeek)}` : "";
  return html`<span class="big">${pupil.first_name} ${pupil.last_name}</span>
  <span class="muted">Form ${pupil.form ?? "–"} · Year ${pupil.year_group} in ${pupil.academic_year} · pupil id ${pupil.student_id} · ${pupil.school_id}</span>
  ${pupil.left_on ? html` <span class="flag left">Left on ${ukDate(pupil.left_on)}</span>` : ""}
  <div>${activeNow.length > 0 ? html`<strong>Support in place${inWeek}:</strong> ${activeNow.map((d) => `${d.category} (${d.focus ?? "no focus"}, since ${ukDate(d.date)})`).join("; ")}` : html`<span class="muted">No intervention running${inWeek}.</span>`}</div>`;
}
