// The interventions page's three tables of impact estimates (the contents of a card each),
// from impactRows: the estimates, who each speaks for, and who they were compared with.
import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";

/** The estimates for the chosen measure, with their 95% intervals. */
export function estimatesTable(rows, {measure, academicYear}) {
  return html.fragment`<h2>The same estimates as a table</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["group", "label", "interventions", "pupils", "unmatched", "estimate", ...(measure === "negative" ? ["relative", "robust"] : [])],
    header: {group: "By", label: "Type or focus", interventions: "Started", pupils: "Pupils estimated", unmatched: "No match", estimate: measure === "negative" ? "Incidents/wk (95% interval)" : "Attendance, points (95% interval)", relative: "Relative", robust: "Relative, robust (95% interval)"},
    layout: "auto",
    rows: 20,
    select: false
  }) : html`<p class="empty">No estimates for ${academicYear}.</p>`}
  <p class="muted small">Started: interventions started this year. Pupils estimated: the different pupils with an estimate, each counted once however many such interventions they had (the next table counts interventions, so its figures can be higher): pupils whose intervention had at least 3 school weeks of data both before and after the start and at least one classmate to compare with; the others are listed above but not estimated. No match: interventions left out because no classmate at all could be compared with (none on roll for enough weeks without an intervention of their own). Incidents/wk or Attendance: the change against the comparison group. Relative: that change as a share of the incidents the pupils would have had if they had followed the comparison group. Relative, robust: the same with any pupil whose change is far from the others' (more than 3 spreads from the middle) counted at that limit, so one pupil whose incidents jump from 1 to 13 a week cannot turn a type's fall into a rise; when the two differ a lot, a few pupils carry the mean.</p>`;
}

/** Who each estimate speaks for: how many were estimated, and their baseline against those not estimated. */
export function reachTable(rows, {measure, academicYear}) {
  return html.fragment`<h2>Who each estimate speaks for — ${measure === "negative" ? "negative events per school week" : "attendance %"} in the 6 school weeks before the start</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["group", "label", "reach", "nearest", "pupilsBefore", "othersBefore", "heldIn"],
    header: {group: "By", label: "Type or focus", reach: "Interventions estimated, of those with a baseline", nearest: "Compared with the nearest", pupilsBefore: "Estimated, before", othersBefore: "Not estimated, before", heldIn: "Far out"},
    format: {
      pupilsBefore: (v) => (v === null || v === undefined ? "–" : measure === "negative" ? v.toFixed(2) : `${v.toFixed(1)}%`),
      othersBefore: (v) => (v === null || v === undefined ? "–" : measure === "negative" ? v.toFixed(2) : `${v.toFixed(1)}%`),
      heldIn: (v) => (v === null || v === undefined ? "–" : String(v))
    },
    layout: "auto",
    rows: 20,
    select: false
  }) : html`<p class="empty">No interventions in ${academicYear}.</p>`}
  <p class="muted small">Interventions estimated, of those with a baseline: interventions with an estimate, of those whose pupil had school weeks on roll before the start. The others had too few weeks on roll before or after (most often an intervention that started near the end of the data) or, rarely, no classmate to compare with at all. Compared with the nearest: pupils with no classmate within half an incident a week (5 points of attendance) before the start, compared with their 10 nearest classmates and allowed for the difference. Estimated and not estimated, before: the two groups' average in the 6 school weeks before the start, so you can see whether the estimate leaves out the pupils with the most incidents or the lowest attendance. Far out: pupils held in by the robust estimate.</p>`;
}

/** Who the pupils were compared with: classmates each, and both groups before the start. */
export function comparisonTable(rows, {measure, academicYear}) {
  return html.fragment`<h2>Who they were compared with — ${measure === "negative" ? "negative events per school week" : "attendance %"} in the 6 school weeks before the start</h2>
  ${rows.some((r) => r.classmates !== null) ? Inputs.table(rows.filter((r) => r.classmates !== null), {
    columns: ["group", "label", "pupils", "classmates", "pupilsBefore", "comparisonBefore"],
    header: {group: "By", label: "Type or focus", pupils: "Pupils", classmates: "Classmates each", pupilsBefore: "Pupils, before", comparisonBefore: "Comparison, before"},
    format: {
      classmates: (v) => v.toFixed(1),
      pupilsBefore: (v) => (measure === "negative" ? v.toFixed(2) : `${v.toFixed(1)}%`),
      comparisonBefore: (v) => (measure === "negative" ? v.toFixed(2) : `${v.toFixed(1)}%`)
    },
    layout: "auto",
    rows: 20,
    select: false
  }) : html`<p class="empty">No type has enough pupils with an estimate in ${academicYear} to show its comparison group.</p>`}
  <p class="muted small">Classmates each: how many classmates, on average, each pupil was compared with (up to 10, all in the same year group, with a similar start or, failing that, the nearest). Pupils and comparison, before: the two groups' average in the 6 school weeks before the start. Close figures mean a fair comparison; the comparison is matched on behaviour for behaviour and wellbeing interventions and on attendance for attendance ones, so the other measure need not match.</p>`;
}
