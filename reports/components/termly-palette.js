/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies), strongest first; yellow is
 * left out (unreadable on white paper). Year groups keep the same colour on every chart.
 */
export const TERMLY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"];
