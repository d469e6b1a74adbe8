/**
 * SIMS attendance marks report: one row per pupil per session (AM / PM) with the DfE mark.
 *
 * Sources:
 * - shared/VENDOR-EXPORTS.md, SIMS attendance: session marks per pupil per date, AM/PM, with the
 *   DfE code; minutes late.
 * - Keystone MIS, "Attendance Reports Specification" (SIMS attendance report menus and layouts):
 *   https://support.keystonemis.co.uk/hc/en-us/articles/360000267343-Attendance-Reports-Specification
 */
import type { VendorProfile } from './profile.ts';
import { SIMS_FORENAME, SIMS_FORM, SIMS_ID, SIMS_NAME, SIMS_PUPIL, SIMS_SURNAME } from './sims.ts';

export const simsAttendance: VendorProfile = {
  name: 'sims-attendance',
  vendor: 'SIMS',
  title: 'SIMS attendance session marks report (common column titles)',
  recordType: 'attendance',
  sources: [
    'shared/VENDOR-EXPORTS.md: SIMS attendance',
    'https://support.keystonemis.co.uk/hc/en-us/articles/360000267343-Attendance-Reports-Specification',
  ],
  recognise: [SIMS_PUPIL, ['Session', 'AM/PM', 'Session Name'], ['Mark', 'Attendance Mark', 'Session Mark']],
  pupil: { id: SIMS_ID, name: SIMS_NAME, firstName: SIMS_FORENAME, lastName: SIMS_SURNAME, form: SIMS_FORM },
  columns: {
    date: { from: ['Date', 'Session Date', 'Attendance Date'] },
    session: { from: ['Session', 'AM/PM', 'Session Name'] },
    code: { from: ['Mark', 'Attendance Mark', 'Session Mark', 'Code'] },
    minutes_late: { from: ['Minutes Late', 'Mins Late', 'Late Minutes', 'Minutes'] },
  },
  gaps: [
    'SIMS reports have the titles their author chose: the default titles are matched; add aliases for others.',
    'A grid report with one column per date (marks across the page) is not this layout: export one row per pupil per session.',
    'Pupils are identified by Adno (or by name + reg group).',
  ],
};
