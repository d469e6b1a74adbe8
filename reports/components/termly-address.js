// The termly report's view follows the address (?school=…&year=…&term=…) and the address
// follows the view, so a link or `pastoral report termly --pdf` opens the view it names.
import {html} from "npm:htl";

/** The address as the page was opened (?school=…&year=…&term=…: `pastoral report termly --pdf`, or a shared link), before the filters rewrite it. */
export const requested = new URLSearchParams(location.search);

/** A value of the address as it is now. */
export function wanted(key) {
  return new URLSearchParams(location.search).get(key);
}

/** The option that matches the value whatever its case, or undefined. */
export function matchCase(value, options) {
  return options.find((o) => String(o).toLowerCase() === String(value ?? "").toLowerCase());
}

/** The academic year to open on when the address names a term without a year: the latest that has it. */
export function yearOfTerm(schoolTerms) {
  return wanted("term") ? schoolTerms.filter((t) => t.term.toLowerCase() === wanted("term").toLowerCase()).at(-1)?.academic_year : undefined;
}

/** Puts the view in the address, and the printed page header (school, term, the suppression rule: style.css "@page termly") in the document; returns a function that removes the header. */
export function showView({school, academicYear, termName, term, threshold}) {
  history.replaceState(history.state, "", `?${new URLSearchParams({school, year: academicYear, term: termName})}`);
  const pageHeader = document.createElement("style");
  const cssString = (text) => `"${String(text).replace(/["\\]/g, "\\$&").replace(/\n/g, " ")}"`;
  pageHeader.textContent = `@page termly {
  @top-left { content: ${cssString(`${school} · ${term.term_label} · Termly report for SLT and governors`)}; }
  @top-right { content: ${cssString(`Aggregate data; counts below ${threshold} suppressed`)}; }
}`;
  document.head.append(pageHeader);
  return () => pageHeader.remove();
}

/**
 * A hidden marker telling `pastoral report termly --pdf` which view is on screen, whether it is
 * the one asked for in the address the page was opened with (`requested`), and which views
 * exist (for its error message when not).
 */
export function readyMarker(report, {requested, school, academicYear, termName, term}) {
  const matched = (requested.get("school") ?? school).toLowerCase() === school.toLowerCase()
    && (requested.get("year") ?? academicYear) === academicYear
    && (requested.get("term") ?? termName).toLowerCase() === termName.toLowerCase();
  const views = report.schools().flatMap((s) => report.terms(s).map((t) => ({school: s, year: t.academic_year, term: t.term})));
  return html`<div id="termly-ready" hidden data-school=${school} data-year=${academicYear} data-term=${termName}
  data-term-label=${term.term_label} data-matched=${matched ? "yes" : "no"} data-views=${JSON.stringify(views)}></div>`;
}
