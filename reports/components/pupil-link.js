import {html} from "npm:htl";

/**
 * A link to a pupil's profile (`pupil?school=…&id=…`), showing "First Last". Other pages can
 * use it to send a reader from any list of pupils to the profile. Names are text, never HTML.
 */
export function pupilLink({school_id, student_id, first_name, last_name}, {text} = {}) {
  const params = new URLSearchParams({school: school_id, id: student_id});
  const name = text ?? ([first_name, last_name].filter(Boolean).join(" ") || student_id);
  return html`<a class="pupil-link" href="./pupil?${params}">${name}</a>`;
}
