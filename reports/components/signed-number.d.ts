// Types for signed-number.js: the impact pages' signed figures.
export function signedNumber(v: number | null | undefined, digits: number): string;
