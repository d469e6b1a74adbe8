import {pupilLink} from "./pupil-link.js";

/** Surname, then first name, as a school orders a printed list. */
export function byName(a, b) {
  return `${a.last_name} ${a.first_name}`.localeCompare(`${b.last_name} ${b.first_name}`, "en-GB");
}

/** The "Pupil" cell of a daily list: "Surname, First name", linking to the pupil profile. */
export function pupilCell(d) {
  return pupilLink(d, {text: `${d.last_name}, ${d.first_name}`});
}
