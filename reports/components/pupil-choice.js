// Choosing the pupil on the pupil profile: the search, the list it leaves, the pupil a link
// names (pupil?school=…&id=…) and the address kept in step with the pupil on screen.
import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {ukDate} from "./format.js";

const pupilLabel = (d) => `${d.last_name}, ${d.first_name} — ${d.form ?? "no form"}, Year ${d.year_group} (${d.student_id})${d.left_on ? `, left ${ukDate(d.left_on)}` : ""}`;

/** "Find a pupil": a search over one school's pupils by name, form or id. */
export function pupilSearch(pupils) {
  return Inputs.search(pupils, {
    label: "Find a pupil",
    placeholder: "Name, form or pupil id",
    columns: ["first_name", "last_name", "form", "student_id"],
    format: (n) => `${n} of ${pupils.length} pupils match`
  });
}

/** "Pupil": the pupils the search found, opening on the one the link names (`linkedId`) if found. */
export function pupilSelect(found, linkedId) {
  const linkedPupil = found.find((d) => d.student_id === linkedId);
  return Inputs.select(found, {label: "Pupil", format: pupilLabel, value: linkedPupil ?? found[0], disabled: found.length === 0, width: 520});
}

/**
 * A link that names a pupil the data does not hold (left long ago, mistyped) says so, rather
 * than quietly showing someone else; otherwise nothing (an empty fragment). A link naming a
 * school the data does not hold (`schools`: those it does) opens on the first school, where the
 * same pupil id may be shown: then it says which school the pupil on screen is from.
 */
export function missingLinkNote(directory, linked, school, schools = []) {
  const linkedId = linked.get("id");
  const linkedSchool = linked.get("school");
  if (!linkedId) return html.fragment``;
  const unknownSchool = Boolean(linkedSchool) && schools.length > 0 && !schools.includes(linkedSchool);
  const found = directory.some((d) => d.school_id === (unknownSchool ? school : linkedSchool ?? school) && d.student_id === linkedId);
  if (found && unknownSchool) return html`<p class="empty">The link named the school ${linkedSchool}, which is not in the data: this is pupil ${linkedId} at ${school}. Check it is the pupil you meant.</p>`;
  return found ? html.fragment`` : html`<p class="empty">The link asked for pupil ${linkedId}${linkedSchool ? ` at ${linkedSchool}` : ""}, who is not in the data. Choose a pupil above.</p>`;
}

/** Keeps the address in step with the pupil on screen, so it can be bookmarked or pasted to a colleague. */
export function keepAddressInStep(pupil) {
  if (!pupil) return;
  const params = new URLSearchParams({school: pupil.school_id, id: pupil.student_id});
  if (location.search !== `?${params}`) history.replaceState(history.state, "", `?${params}`);
}
