/**
 * School ids in the order a reader expects, for every school filter and the schools comparison:
 * DEMO2 before DEMO10 (numbers within an id compared as numbers), names alphabetically whatever
 * their case; ids that differ only in case keep a fixed order.
 */
export const bySchoolId = (a, b) => String(a).localeCompare(String(b), "en-GB", {numeric: true, sensitivity: "base"}) || (a < b ? -1 : a > b ? 1 : 0);
