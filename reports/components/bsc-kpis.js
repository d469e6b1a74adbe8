import {html} from "npm:htl";
import {number} from "./format.js";
import {kpiCard} from "./kpi-card.js";

/**
 * The BSC page's four cards for one row of mart_bsc_repeat (the chosen period and year group;
 * undefined when nothing was placed): placements, pupils referred again within the window,
 * parent contact and reintegration meetings after a placement.
 */
export function bscKpis(headline, {windowDays}) {
  return html.fragment`${kpiCard({
    title: "Placements",
    value: number(headline?.placements ?? 0),
    detail: `${number(headline?.pupils_placed ?? 0)} pupils placed`
  })}
  ${kpiCard({
    title: `Referred again within ${windowDays} school days`,
    value: headline ? number(headline.repeat_rate_pct, 1) : "–",
    unit: headline ? "% of pupils" : "",
    detail: headline ? `${number(headline.pupils_referred_again)} of ${number(headline.pupils_placed)} pupils · ${number(headline.repeat_placements)} repeat placements · median gap ${headline.median_school_days_to_rereferral === null ? "–" : number(headline.median_school_days_to_rereferral)} school days` : "no placements"
  })}
  ${kpiCard({
    title: "Parent contacted",
    value: headline ? number(headline.parent_contact_pct, 1) : "–",
    unit: headline ? "% of placements" : "",
    detail: headline ? `${number(headline.followed_by_parent_contact)} of ${number(headline.placements)}: recorded on the placement, or a contact the same day or within 2 school days` : "no placements"
  })}
  ${kpiCard({
    title: "Reintegration meeting",
    value: headline ? number(headline.reintegration_pct, 1) : "–",
    unit: headline ? "% of placements" : "",
    detail: headline ? `${number(headline.followed_by_reintegration)} of ${number(headline.placements)}: a reintegration date, or a reintegration contact within 5 school days` : "no placements"
  })}`;
}
