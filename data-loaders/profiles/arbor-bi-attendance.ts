/**
 * Arbor BI Connector, ATTENDANCE dataset: one row per pupil per roll-call session.
 *
 * Sources (field names and meanings):
 * - Arbor support, "BI Connector Version 1 Datasets" (the BI connector data dictionary):
 *   https://support.arbor-education.com/hc/en-us/articles/7745552147485-BI-Connector-Version-1-Datasets
 *   ATTENDANCE: STUDENT_ID, APPLICATION_ID, RAW_MARK ("DfE Attendance mark code", e.g. /),
 *   MARK_CODE (e.g. PRESENT_AM), MINUTES_LATE, PERIOD (MORNING / AFTERNOON), DATE,
 *   IS_PRESENT, IS_AUTHORIZED_ABSENT, IS_UNAUTHORIZED_ABSENT, IS_POSSIBLE_ATTENDANCE.
 * - arbor-education/arbor.data-community-resources, sql_queries/analysis/mat_attendance_averages.sql
 *   (the same data queried in Snowflake; APPLICATION_ID is the school's MIS database).
 */
import type { VendorProfile } from './profile.ts';

export const arborBiAttendance: VendorProfile = {
  name: 'arbor-bi-attendance',
  vendor: 'Arbor',
  title: 'Arbor BI Connector ATTENDANCE table (one row per pupil per session)',
  recordType: 'attendance',
  sources: [
    'https://support.arbor-education.com/hc/en-us/articles/7745552147485-BI-Connector-Version-1-Datasets',
    'arbor-education/arbor.data-community-resources: sql_queries/analysis/mat_attendance_averages.sql',
  ],
  recognise: [['STUDENT_ID'], ['RAW_MARK'], ['PERIOD'], ['DATE']],
  pupil: { id: ['STUDENT_ID'] },
  columns: {
    date: { from: ['DATE'] },
    // MORNING / AFTERNOON are read as AM / PM by the session type.
    session: { from: ['PERIOD'] },
    // RAW_MARK is the DfE register code itself; MARK_CODE (PRESENT_AM…) is Arbor's meaning of it.
    code: { from: ['RAW_MARK'] },
    minutes_late: { from: ['MINUTES_LATE'] },
  },
  gaps: [
    "STUDENT_ID is Arbor's internal student id: students.csv must use the same ids (export it from the BI connector's students dataset, or from Arbor with the Arbor id).",
    'APPLICATION_ID (the MIS database) is kept in the raw layer but not used as the school: a trust-wide export must be split into one folder per school, or carry a school_id column.',
    "IS_PRESENT / IS_AUTHORIZED_ABSENT / … are kept in the raw layer; the project's own code table (sql/staging/ref_attendance_codes.sql) decides what each code counts as.",
    'A session with no mark yet (empty RAW_MARK) is rejected as "required value is empty", not guessed.',
  ],
};
