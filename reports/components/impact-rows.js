// The interventions page's impact estimates (rows of mart_intervention_impact_by_type for one
// school and year) as table rows for the chosen measure. The method is impact's: this only
// shapes its numbers for the tables.

// Signed, with a true minus sign so negative changes read clearly on a projector (a figure that
// is not 0 never printed as 0: signed-number.js).
import {signedNumber as fmt} from "./signed-number.js";

/** One row per breakdown (overall, each focus, each type) for `measure` ("negative" or "attendance"). */
export function impactRows(yearImpact, measure) {
  return yearImpact
    .slice()
    .sort((a, b) => ({all: 0, focus: 1, type: 2})[a.breakdown] - ({all: 0, focus: 1, type: 2})[b.breakdown] || a.label.localeCompare(b.label))
    .map((d) => {
      const value = measure === "negative" ? [d.negative_did, d.negative_did_low, d.negative_did_high, 2] : [d.attendance_did, d.attendance_did_low, d.attendance_did_high, 1];
      return {
        group: d.breakdown === "all" ? "Overall" : d.breakdown === "focus" ? "Focus" : "Type",
        label: d.breakdown === "focus" ? d.label.charAt(0).toUpperCase() + d.label.slice(1) : d.label,
        interventions: d.interventions,
        pupils: d.pupils,
        unmatched: d.interventions_no_comparison,
        nearest: d.interventions_nearest,
        reach: d.interventions_with_baseline > 0 ? `${d.interventions_estimated} of ${d.interventions_with_baseline}` : "none",
        othersBefore: d.interventions_with_baseline > d.interventions_estimated
          ? (measure === "negative" ? d.not_estimated_baseline_negative_per_week : d.not_estimated_baseline_attendance_pct) : null,
        heldIn: d.interventions_held_in,
        robust: measure === "negative" && d.enough_pupils && d.robust_relative_effect !== null
          ? `${fmt(d.robust_relative_effect * 100, 0)}% (${fmt(d.robust_relative_effect_low * 100, 0)}% to ${fmt(d.robust_relative_effect_high * 100, 0)}%)` : "",
        classmates: d.enough_pupils ? d.mean_comparison_pupils : null,
        pupilsBefore: d.enough_pupils ? (measure === "negative" ? d.baseline_negative_per_week : d.baseline_attendance_pct) : null,
        comparisonBefore: d.enough_pupils ? (measure === "negative" ? d.comparison_baseline_negative_per_week : d.comparison_baseline_attendance_pct) : null,
        estimate: d.enough_pupils && value[0] !== null ? `${fmt(value[0], value[3])} (${fmt(value[1], value[3])} to ${fmt(value[2], value[3])})` : "too few pupils to say",
        relative: measure === "negative" && d.enough_pupils && d.relative_effect !== null ? `${fmt(d.relative_effect * 100, 0)}%` : ""
      };
    });
}
