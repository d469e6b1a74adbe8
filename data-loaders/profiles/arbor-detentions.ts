/**
 * Arbor detentions list, as a school downloads it from Students > Behaviour > Detentions:
 * one row per pupil per detention, the pupil named (not identified) with year and form.
 *
 * Sources:
 * - Column titles of the list export as schools download it (shared/VENDOR-EXPORTS.md, "seen in
 *   public community tools"): Student, Year, Reg. Form, House, Reason, Detention Type,
 *   Issued Date, Issued By, Detention Date, Detention Attendance.
 * - arbor-education/sis-sdk-php, src/Arbor/Model/Detention.php: student, issuedByStaff,
 *   detentionSession, detentionType, detentionDuration, attendanceMark, notes,
 *   reasonForDetention (what each column holds).
 * - Arbor support, "Build part 1 - How to set up Behaviour in Arbor" (detentions and their
 *   attendance): https://support.arbor-education.com/hc/en-us/articles/360007055658
 */
import { stableId, withoutWeekday, type VendorProfile } from './profile.ts';

export const STUDENT = ['Student', 'Student Name', 'Name'];
export const FORM = ['Reg. Form', 'Reg Form', 'Registration Form', 'Form', 'Tutor Group'];

export const arborDetentions: VendorProfile = {
  name: 'arbor-detentions',
  vendor: 'Arbor',
  title: 'Arbor detentions list export (pupil by name and form)',
  recordType: 'detentions',
  sources: [
    'shared/VENDOR-EXPORTS.md: Arbor list exports (detentions columns)',
    'arbor-education/sis-sdk-php: src/Arbor/Model/Detention.php',
    'https://support.arbor-education.com/hc/en-us/articles/360007055658',
  ],
  recognise: [STUDENT, ['Detention Date'], ['Detention Type']],
  pupil: { name: STUDENT, form: FORM },
  columns: {
    // The list has no id: one is made from what identifies the detention (not its attendance,
    // so a later export with the attendance taken is a correction of the same detention).
    detention_id: {
      reads: ['Student', 'Detention Date', 'Detention Type'],
      sql: (_col, peek) => stableId('ARB-DET-', [peek(...STUDENT), peek(...FORM), peek('Detention Date'), peek('Detention Type'), peek('Issued Date')]),
    },
    date: { reads: ['Detention Date'], sql: (col) => (col('Detention Date') ? withoutWeekday(col('Detention Date') as string) : null) },
    type: { from: ['Detention Type'] },
    reason: { from: ['Reason', 'Reason for Detention'] },
    issued_by: { from: ['Issued By'] },
    status: {
      from: ['Detention Attendance', 'Attendance', 'Attendance Mark'],
      values: {
        attended: 'attended',
        present: 'attended',
        late: 'attended',
        'did not attend': 'missed',
        'not attended': 'missed',
        absent: 'missed',
        missed: 'missed',
        cancelled: 'cancelled',
        canceled: 'cancelled',
        rescheduled: 'rescheduled',
        'not yet taken': 'pending',
        'not taken': 'pending',
      },
      // No attendance yet: the detention is still to come.
      otherwise: 'pending',
    },
  },
  gaps: [
    'Pupils are named, not identified: each row is matched on name + form against students.csv and rejected when it matches no pupil or several.',
    'No detention id in the list: the id is a hash of pupil, form, detention date, type and issued date. Two detentions of one pupil with all of these equal are one key (the second is rejected as a duplicate).',
    'Detention length is not in the list export; Year and House are kept in the raw layer only.',
    'Attendance words other than those mapped (attended, present, late, did not attend, absent, cancelled, rescheduled, not yet taken) are rejected, not guessed.',
  ],
};
