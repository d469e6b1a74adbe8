/**
 * Small-count suppression with secondary suppression, for data files that leave the staff build
 * (leaders, governors, trust). The same rules as the termly report (sql/marts/mart_termly_report.sql):
 *
 *   1. primary: a count below the threshold (zero included) is hidden;
 *   2. secondary: for every "sum" relation (a total and the parts adding up to it, e.g. the year
 *      groups of a school-term and its all-year-groups figure, the terms of a year, the weeks of
 *      a term), when exactly one member is hidden, or the hidden parts add up to less than the
 *      threshold while the total is shown, the smallest shown part is hidden too (the total when
 *      no part is left), so a hidden count cannot be worked out by subtraction;
 *   3. a "follows" relation hides its dependants whenever its source is hidden (a year group's
 *      sessions go with its pupils on roll, since sessions ÷ 10 is about the roll);
 * repeated until nothing changes (a cell hidden by one relation can expose another).
 *
 *   const cells = new Map([['a', {value: 3}], ['b', {value: 9}], ['t', {value: 12}]]);
 *   suppress(cells, [{kind: 'sum', total: 't', parts: ['a', 'b'], sumRule: true}], 5);
 *   // a: 'fewer than 5' (primary); b: 'secondary' (else b = t − a gives a); t stays 12
 */
export type SuppressionReason = 'fewer than 5' | 'secondary';

export interface Cell {
  value: number | null;
  /** Set by suppress(): why the value is hidden (unset: shown). */
  hidden?: SuppressionReason;
  /** Never hidden by the primary rule (e.g. sessions, which are not counts of pupils or events). */
  noPrimary?: boolean;
  /** Hidden by the primary rule whatever its value (e.g. pupil-weeks whose average roll is below the threshold). */
  small?: boolean;
}

export type Relation =
  /** total = Σ parts. sumRule: also hide more while the hidden parts add up to less than the threshold. */
  | { kind: 'sum'; total: string; parts: readonly string[]; sumRule: boolean }
  /** When source is hidden, every dependant is hidden. */
  | { kind: 'follows'; source: string; dependants: readonly string[] };

/** Hides cells in place; returns how many were hidden by each rule. */
export function suppress(cells: Map<string, Cell>, relations: readonly Relation[], threshold: number): { primary: number; secondary: number } {
  let primary = 0;
  let secondary = 0;
  for (const cell of cells.values()) {
    if (cell.value !== null && (cell.small || (!cell.noPrimary && cell.value < threshold))) {
      cell.hidden = 'fewer than 5';
      primary += 1;
    }
  }
  const get = (key: string): Cell => {
    const cell = cells.get(key);
    if (!cell) throw new Error(`suppression relation names an unknown cell: ${key}`);
    return cell;
  };
  const hide = (cell: Cell): void => {
    cell.hidden = 'secondary';
    secondary += 1;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of relations) {
      if (relation.kind === 'follows') {
        if (!get(relation.source).hidden) continue;
        for (const key of relation.dependants) {
          const cell = get(key);
          if (!cell.hidden && cell.value !== null) {
            hide(cell);
            changed = true;
          }
        }
        continue;
      }
      const total = get(relation.total);
      const parts = relation.parts.map(get).filter((c) => c.value !== null);
      const hiddenParts = parts.filter((c) => c.hidden);
      const hiddenCount = hiddenParts.length + (total.hidden ? 1 : 0);
      if (hiddenCount === 0) continue;
      const hiddenSum = hiddenParts.reduce((n, c) => n + (c.value ?? 0), 0);
      const exposed = hiddenCount === 1 || (relation.sumRule && !total.hidden && hiddenParts.length > 0 && hiddenSum < threshold);
      if (!exposed) continue;
      const shown = parts.filter((c) => !c.hidden).sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
      if (shown.length > 0) hide(shown[0]);
      else if (!total.hidden && total.value !== null) hide(total);
      else continue;
      changed = true;
    }
  }
  return { primary, secondary };
}
