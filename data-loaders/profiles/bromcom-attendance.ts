/**
 * Bromcom registration marks (AM / PM registers) exported from a register or attendance list.
 *
 * Sources:
 * - Bromcom, "How to use Register Update Parameters" (AM / PM registration marks, late marks,
 *   unauthorised lates): https://docs.bromcom.com/knowledge-base/how-to-use-register-update-parameters/
 * - shared/VENDOR-EXPORTS.md (attendance is per pupil, date and session with a DfE code).
 */
import type { VendorProfile } from './profile.ts';
import { BROMCOM_FORM, BROMCOM_ID, BROMCOM_NAME } from './bromcom.ts';

export const bromcomAttendance: VendorProfile = {
  name: 'bromcom-attendance',
  vendor: 'Bromcom',
  title: 'Bromcom registration marks export (AM / PM registers)',
  recordType: 'attendance',
  sources: ['https://docs.bromcom.com/knowledge-base/how-to-use-register-update-parameters/', 'shared/VENDOR-EXPORTS.md: attendance'],
  recognise: [['Student Name', 'Student', 'Student ID'], ['Date'], ['Session', 'Register', 'Registration'], ['Mark', 'Attendance Mark', 'Mark Code']],
  pupil: { id: BROMCOM_ID, name: BROMCOM_NAME, form: BROMCOM_FORM },
  columns: {
    date: { from: ['Date'] },
    session: {
      from: ['Session', 'Register', 'Registration'],
      values: { 'am reg': 'AM', 'pm reg': 'PM', 'am registration': 'AM', 'pm registration': 'PM', 'am register': 'AM', 'pm register': 'PM' },
    },
    code: { from: ['Mark', 'Attendance Mark', 'Mark Code'] },
    minutes_late: { from: ['Minutes Late', 'Mins Late', 'Late (mins)'] },
  },
  gaps: [
    'Bromcom does not publish the export\'s column titles: the profile matches the words its register pages use; add aliases for others.',
    'Lesson registers (a period as the session) are rejected as "not a session": only AM / PM registration marks are attendance.',
    'Pupils are identified by Student ID / Admission Number, or matched by name (+ tutor group).',
  ],
};
