import {svg} from "npm:htl";

/**
 * A small line of counts, oldest first, with the last point marked: fits in a table cell.
 * `label` is read by screen readers and shown as a tooltip.
 */
export function sparkline(values, {width = 110, height = 26, max, label = ""} = {}) {
  const top = Math.max(1, max ?? Math.max(...values));
  const step = values.length > 1 ? (width - 6) / (values.length - 1) : 0;
  const x = (i) => 3 + i * step;
  const y = (v) => height - 3 - (v / top) * (height - 6);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const last = values.length - 1;
  return svg`<svg class="sparkline" width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img" aria-label=${label}>
    <title>${label}</title>
    <line x1="0" x2=${width} y1=${height - 3} y2=${height - 3} stroke="#bbb" stroke-width="1"></line>
    <polyline points=${points} fill="none" stroke="#0072B2" stroke-width="1.8" stroke-linejoin="round"></polyline>
    ${last >= 0 ? svg`<circle cx=${x(last)} cy=${y(values[last])} r="3" fill="#D55E00"></circle>` : ""}
  </svg>`;
}
