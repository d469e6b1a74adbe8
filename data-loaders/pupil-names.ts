/**
 * Matching pupils named in list exports ("Ada Lovelace", "Lovelace, Ada", "Ada Lovelace (9R)")
 * to students.csv. Names are compared as a set of words, lower-case, without accents or
 * punctuation, so word order, commas, hyphens and apostrophes do not matter; the form, when the
 * export gives one, must match too. A name that matches no pupil, or more than one, is rejected.
 */

/**
 * SQL: the comparable key of a name. "O'Néill, Siân-Marie" → "marie neill o sian". Letters of
 * every script are kept ("Ling 李" is not "Ling 王"): dropping all but a–z would leave "ling" of
 * both, and an export's pupil would be matched to another child.
 */
export function nameKey(expr: string): string {
  return `array_to_string(list_sort(list_filter(string_split_regex(regexp_replace(lower(strip_accents(${expr})), '[^\\p{L}\\p{N}]+', ' ', 'g'), ' '), w -> w <> '')), ' ')`;
}

/** SQL: the comparable key of a form ("9 R", "9r", "9-R" → "9r"). */
export function formKey(expr: string): string {
  return `nullif(regexp_replace(lower(${expr}), '[^a-z0-9]+', '', 'g'), '')`;
}

/** SQL: the name without a trailing "(form)". */
export const nameWithoutForm = (expr: string) => `trim(regexp_replace(${expr}, '\\s*\\([^)]*\\)\\s*$', ''))`;

/** SQL: the form written in brackets after a name, if any. */
export const formInName = (expr: string) => `nullif(trim(regexp_extract(${expr}, '\\(([^)]*)\\)\\s*$', 1)), '')`;
