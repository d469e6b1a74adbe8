/**
 * Class Charts attendance export: one row per pupil per registration session.
 *
 * Source: classchartsapi/api-docs, openapi/schemas/attendancePeriod.yaml — code, status (yes,
 * present, ignore, no, absent, excused, late), late_minutes, lesson_name, room_name — and
 * attendanceResponse.yaml (marks keyed by date and session); content/docs/global-api/get-attendance.mdx.
 */
import type { VendorProfile } from './profile.ts';
import { PUPIL_FORM, PUPIL_ID, PUPIL_NAME } from './classcharts.ts';

export const classchartsAttendance: VendorProfile = {
  name: 'classcharts-attendance',
  vendor: 'Class Charts',
  title: 'Class Charts attendance export (session marks with code and status)',
  recordType: 'attendance',
  sources: [
    'classchartsapi/api-docs: openapi/schemas/attendancePeriod.yaml',
    'classchartsapi/api-docs: openapi/schemas/attendanceResponse.yaml',
    'classchartsapi/api-docs: content/docs/global-api/get-attendance.mdx',
  ],
  recognise: [['date'], ['session'], ['status'], ['late_minutes']],
  pupil: { id: PUPIL_ID, name: PUPIL_NAME, form: PUPIL_FORM },
  columns: {
    date: { from: ['date'] },
    session: { from: ['session'] },
    // The register code when there is one; a bare "present" is the DfE present code of its
    // session (/ in the morning, \ in the afternoon) and a bare "late" is L. An absence with no
    // code stays empty and is rejected: the status alone cannot say which absence code it was.
    code: {
      reads: ['code', 'status'],
      sql: (col, peek) => {
        const code = col('code', 'mark');
        // Peeked, not taken: the status stays in the raw layer too.
        const status = peek('status');
        const session = peek('session');
        const fromStatus =
          status && session
            ? `CASE WHEN lower(trim(${status})) IN ('present', 'yes') AND upper(trim(${session})) IN ('AM', 'MORNING') THEN '/'
                    WHEN lower(trim(${status})) IN ('present', 'yes') AND upper(trim(${session})) IN ('PM', 'AFTERNOON') THEN '\\'
                    WHEN lower(trim(${status})) = 'late' THEN 'L' END`
            : 'NULL';
        return code ? `coalesce(nullif(trim(${code}), ''), ${fromStatus})` : fromStatus;
      },
    },
    minutes_late: { from: ['late_minutes', 'minutes_late'] },
  },
  rejectRows: [
    {
      reads: ['status'],
      when: (col) => (col('status') ? `lower(trim(${col('status')})) = 'ignore'` : null),
      reason: 'not a register mark: Class Charts status "ignore"',
    },
  ],
  gaps: [
    'Only AM / PM registration sessions are attendance in the contract: lesson marks (a lesson name as the session) are rejected as "not a session".',
    'An absence with no register code is rejected (the status "absent" or "excused" does not say which DfE code applies).',
    'Pupils are matched by name (+ form) unless the export carries a mis_id / student_id column.',
  ],
};
