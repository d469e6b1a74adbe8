import * as Inputs from "npm:@observablehq/inputs";
import {longDate} from "./format.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The daily lists' "Date" filter over one school's days (rows of its part of daily-lists/dates/), latest
 * first, opening on the latest day with detentions; each option says what the day holds.
 */
export function daySelect(days) {
  const latestFirst = [...days].sort((a, b) => b.date.localeCompare(a.date));
  return Inputs.select(latestFirst, {
    label: "Date",
    format: (d) => `${longDate(d.date)}: ${plural(d.detentions, "detention")}, ${d.bsc} in the BSC, ${d.statements ?? 0} statement${d.statements === 1 ? "" : "s"} waiting`,
    value: latestFirst.find((d) => d.detentions > 0) ?? latestFirst[0],
    width: 460
  });
}
