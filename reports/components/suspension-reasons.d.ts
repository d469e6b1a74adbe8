/** DfE suspension and exclusion reason codes in words (suspension-reasons.js). */
export declare const DFE_REASONS: Readonly<Record<string, string>>;
