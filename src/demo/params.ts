/**
 * Every calibration constant of the demo school in one place, with the figure it aims at.
 * The national figures are DfE statistics for state-funded secondary schools in England
 * (see shared/DOMAIN.md and docs/demo-school.md). Constants marked "tuned" were set by
 * generating the school and measuring the output (seed 1, 1,200 pupils), not derived.
 */
export const PARAMS = {
  pupils: {
    female: 0.49,
    male: 0.49, // the remaining 2 % are recorded as X
    fsm: 0.25,
    lookedAfter: 0.01,
    /** Pupils who leave mid-year, and as many who join, per year (≈1.5 % each way). */
    midYearMoveRate: 0.015,
    /** Correlation of the hidden behaviour and attendance traits. */
    behAbsCorrelation: 0.35,
  },

  attendance: {
    /**
     * A pupil's target share of sessions missed is lognormal: exp(logMedian + sigma·z)
     * times the group factors below, capped. Tuned so that overall absence ≈ 8.9 %,
     * persistent absence (≥10 %) ≈ 26 % and severe absence (≥50 %) ≈ 2 % of pupils.
     */
    logMedian: Math.log(0.034),
    sigma: 1.05,
    maxRate: 0.93,
    /** FSM pupils are persistently absent about twice as often as others. */
    fsm: 2.1,
    senK: 1.3,
    senE: 1.45,
    lookedAfter: 1.2,
    /** Absence rises through secondary school (Year 7 lowest). */
    yearGroup: { 7: 0.8, 8: 0.95, 9: 1.05, 10: 1.1, 11: 1.1 } as Record<number, number>,
    /** Year-to-year drift of a pupil's propensity (sd on the log scale). */
    yearDrift: 0.3,
    /** Share of absence that comes as single sessions (appointments, going home ill). */
    singleSessionShare: 0.15,
    /** Mean length in days of an absence run: 1.5 days for occasional absence, longer for high absence. */
    runLengthBase: 1.5,
    runLengthSlope: 5,
    /** Seasonal factor by half-term (autumn < spring < summer), the week before a break, and weekdays. */
    halfTerm: [0, 0.78, 0.95, 1.0, 1.02, 1.05, 1.2],
    preBreakWeek: 1.2,
    monday: 1.05,
    friday: 1.15,
    /** Unauthorised share of a pupil's absence: rises with the pupil's absence (tuned to ≈39 % overall). */
    unauthBase: 0.14,
    unauthSlope: 0.5,
    unauthFsm: 0.08,
    /** Authorised codes in an absence run, and unauthorised ones. */
    authorisedCodes: [
      ['I', 0.88],
      ['M', 0.05],
      ['C', 0.07],
    ] as [string, number][],
    unauthorisedCodes: [
      ['O', 0.88],
      ['N', 0.12],
    ] as [string, number][],
    /** Chance of a term-time holiday (code G, 3–5 days next to a break) per pupil per year. */
    termTimeHoliday: 0.07,
    /** Late before registers close (L), per morning session, median; late after (U) is rarer. */
    lateMedian: 0.018,
    lateSigma: 0.9,
    lateAfterCloseShare: 0.12,
    lateAfternoon: 0.15,
  },

  behaviour: {
    /**
     * Negative events per pupil per school year on average (a behaviour-points MIS logs
     * every low-level event). The per-pupil rate is lognormal (heavy-tailed) times group
     * factors, so a few pupils have most of the events.
     */
    negativePerYear: 15,
    sigma: 1.6,
    boy: 1.5,
    x: 1.2,
    senK: 2.4,
    senE: 2.0,
    fsm: 2.2,
    lookedAfter: 1.6,
    /** Year 7 lowest, Year 9 highest. */
    yearGroup: { 7: 0.6, 8: 0.9, 9: 1.45, 10: 1.1, 11: 0.9 } as Record<number, number>,
    /** Weekly "bad patches": AR(1) on the log rate. They make the regression to the mean that interventions must be judged against. */
    patchPhi: 0.75,
    patchSd: 0.45,
    /** Positive events are about 2.5× as many as negative ones. */
    positivePerYear: 25,
    positiveSigma: 0.6,
    positiveGirl: 1.2,
    positiveYear: { 7: 1.4, 8: 1.15, 9: 0.9, 10: 0.8, 11: 0.75 } as Record<number, number>,
    /** Seasonal factor by half-term, the week before a break, and weekdays (Mon and Fri worse). */
    halfTerm: [0, 0.85, 1.1, 1.0, 1.05, 1.0, 1.0],
    preBreakWeek: 1.1,
    weekday: [0, 1.12, 0.95, 0.95, 0.93, 1.12],
  },

  sanctions: {
    /** Chance that a severity-3 incident goes to the BSC rather than a detention or removal. */
    bscFromSeverity3: 0.3,
    /** Chance that an incident leads to a suspension, by severity (tuned to ≈22.6 per 100 pupils). */
    suspension: { 3: 0.0, 4: 0.02, 5: 0.28 } as Record<number, number>,
    suspensionFsm: 4,
    suspensionSenK: 3,
    suspensionSenE: 2.5,
    suspensionYearGroup: { 7: 0.8, 8: 1.0, 9: 1.3, 10: 1.1, 11: 0.8 } as Record<number, number>,
    /** Repeated BSC use (≥2 in 20 school days) makes a suspension more likely. */
    suspensionAfterBsc: 1.6,
    /** Persistent disruption: a further incident after ≥3 BSC placements in 20 school days. */
    persistentDisruption: 0.6,
    /** Permanent exclusion: a severity-5 incident by a pupil with ≥3 suspensions this year. */
    permanent: 0.15,
    permanentSessions: 10,
    /** BSC outcomes. */
    bscOutcomes: [
      ['completed', 0.72],
      ['extended', 0.08],
      ['escalated', 0.06],
      ['sent home', 0.05],
      ['suspended', 0.11],
    ] as [string, number][],
    /** Detention attendance: the base chance to miss one when in school, raised for poorly behaved pupils. */
    detentionMiss: 0.045,
    detentionCancel: 0.02,
    detentionEscalate: 0.75,
  },

  interventions: {
    /** The planted effect: negative-event rate × (1 − 0.35) from the start date onwards. */
    behaviourEffect: 0.35,
    /** Planted effect on attendance: absence-run hazards × (1 − 0.25) from the start date onwards. */
    attendanceEffect: 0.25,
    /** Flag: ≥4 negative events in the last 10 school days and at least 1.5× the fortnightly rate of the 20 school days before. */
    flagMinEvents: 4,
    flagWindow: 10,
    flagBaseline: 20,
    flagRise: 1.5,
    /** Capacity per 1,200 pupils: new starts per week and places at once (behaviour, attendance). */
    weeklyStarts: 4,
    maxActive: 40,
    attendanceWeeklyStarts: 2,
    attendanceMaxActive: 24,
    /** Flagged pupils who get no place are monitored, not re-flagged, for 60 school days. */
    monitorDays: 60,
    /** Wellbeing starts per 1,200 pupils per year (no planted effect). */
    wellbeingPerYear: 36,
    withdrawn: 0.08,
  },
} as const;
