// DfE suspension and exclusion reason codes in words, for pages that show a pupil's own
// suspensions. The same codes and words as sql/staging/ref_suspension_reasons.sql, which the
// marts use (test/models/suspension-reasons.test.ts checks they agree).
export const DFE_REASONS = Object.freeze({
  PD: "Persistent disruptive behaviour",
  VA: "Verbal abuse or threat against an adult",
  VP: "Verbal abuse or threat against a pupil",
  PA: "Physical assault against an adult",
  PP: "Physical assault against a pupil",
  BU: "Bullying",
  RA: "Racist abuse",
  LG: "Abuse against sexual orientation or gender identity",
  DS: "Abuse relating to disability",
  SM: "Sexual misconduct",
  DA: "Drug and alcohol related",
  DM: "Damage",
  TH: "Theft",
  OW: "Use or threat of use of an offensive weapon or prohibited item",
  MT: "Inappropriate use of social media or online technology",
  OT: "Other"
});
