import {html} from "npm:htl";
import {number} from "./format.js";
import {pupilLink} from "./pupil-link.js";

/** Pupils newly on the early-intervention watchlist, with the reasons that put them there; the score to 1 dp, as on the watchlist page. */
export function watchlistNewTable(rows) {
  return html`<table class="pupil-list">
    <thead><tr><th>Pupil</th><th>Form</th><th class="num">Rank in school</th><th class="num">Score</th><th>Why they are listed</th></tr></thead>
    <tbody>${rows.map((d) => html`<tr>
      <td>${pupilLink(d)}</td>
      <td>${d.form}</td>
      <td class="num">${d.rank}</td>
      <td class="num">${number(d.score, 1)}</td>
      <td>${d.reasons_text}</td>
    </tr>`)}</tbody>
  </table>`;
}
