/** The termly report's sections, in order: the page and its printed PDF must both have them all. */
export const TERMLY_SECTION_HEADINGS: readonly string[] = Object.freeze([
  '1. Summary',
  '2. Behaviour trends by year group',
  '3. Behaviour Support Centre (BSC) use and repeat referrals',
  '4. Suspensions',
  '5. Attendance',
  '6. Gaps between pupil groups',
  '7. Intervention impact',
  '8. About this report',
]);
