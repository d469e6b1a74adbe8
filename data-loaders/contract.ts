/**
 * The canonical import contract (docs/data-contract.md), as data. Ingest generates its
 * parsing and validation SQL from these specs, so the documentation, the checks and the
 * warehouse columns cannot drift apart.
 */

export type ColumnType =
  | 'text'
  | 'integer'
  | 'number'
  | 'date'
  | 'datetime'
  | 'time'
  | 'boolean'
  | 'year_group'
  | 'academic_year'
  | 'session'
  | 'attendance_code'
  | 'enum';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly required?: boolean;
  /** Accepted values for `enum` (compared lower-case, trimmed). */
  readonly values?: readonly string[];
  /** Other header spellings seen in exports (matched after normalising). */
  readonly aliases?: readonly string[];
  /** Range for numbers. */
  readonly min?: number;
  readonly max?: number;
}

export interface FileSpec {
  /** Record type, also the warehouse table `raw.<name>`. */
  readonly name: RecordType;
  readonly fileName: string;
  readonly key: readonly string[];
  readonly columns: readonly ColumnSpec[];
  /** Rows must reference a pupil in students.csv (of the same school). */
  readonly refersToPupil: boolean;
  /**
   * Checks across the columns of one row (ingest rejects the row when `when` holds): SQL over
   * the typed columns, evaluated only when every column in `reads` is in the file. The reject
   * names `column` and its value as written.
   */
  readonly rowChecks?: ReadonlyArray<{ readonly column: string; readonly reads: readonly string[]; readonly when: string; readonly reason: string }>;
}

export const RECORD_TYPES = [
  'students',
  'behaviour',
  'attendance',
  'bsc',
  'detentions',
  'interventions',
  'suspensions',
  'contacts',
  'calendar',
  'periods',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const yesNo = 'boolean' as const;

export const CONTRACT: Readonly<Record<RecordType, FileSpec>> = {
  students: {
    name: 'students',
    fileName: 'students.csv',
    key: ['student_id', 'academic_year'],
    refersToPupil: false,
    columns: [
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id', 'id', 'mis_id', 'admission_number', 'adno'] },
      { name: 'upn', type: 'text' },
      { name: 'first_name', type: 'text', aliases: ['forename', 'legal_forename', 'preferred_forename'] },
      { name: 'last_name', type: 'text', aliases: ['surname', 'legal_surname'] },
      { name: 'year_group', type: 'year_group', required: true, aliases: ['year', 'nc_year', 'yeargroup', 'year_group_name'] },
      { name: 'form', type: 'text', aliases: ['reg_group', 'registration_group', 'tutor_group', 'reg_form'] },
      { name: 'house', type: 'text' },
      { name: 'gender', type: 'enum', values: ['f', 'm', 'x', 'female', 'male', 'other'], aliases: ['sex'] },
      { name: 'date_of_birth', type: 'date', aliases: ['dob'] },
      { name: 'sen', type: 'enum', values: ['n', 'k', 'e', 'none', 'sen support', 'ehcp', 'ehc plan'], aliases: ['sen_status', 'send'] },
      { name: 'pupil_premium', type: yesNo, aliases: ['pp'] },
      { name: 'fsm', type: yesNo, aliases: ['free_school_meals', 'fsm_eligible'] },
      { name: 'eal', type: yesNo },
      { name: 'ethnicity', type: 'text' },
      { name: 'looked_after', type: yesNo, aliases: ['cla', 'lac', 'in_care'] },
      { name: 'admission_date', type: 'date', aliases: ['date_of_admission', 'start_date'] },
      { name: 'leaving_date', type: 'date', aliases: ['date_of_leaving', 'leave_date'] },
      { name: 'academic_year', type: 'academic_year' },
    ],
  },
  behaviour: {
    name: 'behaviour',
    fileName: 'behaviour.csv',
    key: ['event_id', 'student_id'],
    refersToPupil: true,
    columns: [
      { name: 'event_id', type: 'text', required: true, aliases: ['incident_id', 'behaviour_id'] },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'date', type: 'date', required: true, aliases: ['event_date', 'incident_date'] },
      { name: 'time', type: 'time' },
      { name: 'period', type: 'text', aliases: ['lesson', 'lesson_period'] },
      { name: 'polarity', type: 'enum', values: ['positive', 'negative', 'neutral', '+', '-'] },
      { name: 'category', type: 'text', required: true, aliases: ['behaviour', 'type', 'reason'] },
      { name: 'points', type: 'integer', aliases: ['score'] },
      { name: 'severity', type: 'integer', min: 1, max: 5 },
      { name: 'subject', type: 'text' },
      { name: 'location', type: 'text', aliases: ['room'] },
      { name: 'staff', type: 'text', aliases: ['staff_code', 'teacher', 'logged_by'] },
      { name: 'action', type: 'text', aliases: ['outcome', 'action_taken'] },
      { name: 'comment', type: 'text', aliases: ['comments', 'note', 'notes'] },
      { name: 'statement_taken_at', type: 'datetime' },
    ],
  },
  attendance: {
    name: 'attendance',
    fileName: 'attendance.csv',
    key: ['student_id', 'date', 'session'],
    refersToPupil: true,
    columns: [
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'date', type: 'date', required: true },
      { name: 'session', type: 'session', required: true, aliases: ['am_pm'] },
      { name: 'code', type: 'attendance_code', required: true, aliases: ['mark', 'attendance_code'] },
      { name: 'minutes_late', type: 'integer', min: 0, max: 600, aliases: ['late_minutes'] },
    ],
  },
  bsc: {
    name: 'bsc',
    fileName: 'bsc.csv',
    key: ['referral_id'],
    refersToPupil: true,
    columns: [
      { name: 'referral_id', type: 'text', required: true, aliases: ['placement_id'] },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'date', type: 'date', required: true },
      { name: 'referred_by', type: 'text' },
      { name: 'reason', type: 'text' },
      { name: 'event_id', type: 'text' },
      { name: 'periods', type: 'integer', min: 0, max: 12 },
      { name: 'start_time', type: 'time' },
      { name: 'end_time', type: 'time' },
      { name: 'booklet', type: 'enum', values: ['completed', 'partial', 'not completed'] },
      { name: 'conduct', type: 'enum', values: ['good', 'satisfactory', 'poor'] },
      { name: 'outcome', type: 'enum', values: ['completed', 'extended', 'escalated', 'sent home', 'suspended'] },
      // Y/N or the date-time the parent was contacted: kept as text, read in staging.
      { name: 'parent_contacted', type: 'text' },
      { name: 'statement_taken', type: yesNo },
      { name: 'reintegration_date', type: 'date' },
    ],
  },
  detentions: {
    name: 'detentions',
    fileName: 'detentions.csv',
    key: ['detention_id'],
    refersToPupil: true,
    columns: [
      { name: 'detention_id', type: 'text', required: true },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'date', type: 'date', required: true, aliases: ['detention_date'] },
      { name: 'type', type: 'text', aliases: ['detention_type'] },
      { name: 'minutes', type: 'integer', min: 0, max: 480, aliases: ['length', 'duration'] },
      { name: 'reason', type: 'text' },
      { name: 'issued_by', type: 'text' },
      { name: 'event_id', type: 'text' },
      {
        name: 'status',
        type: 'enum',
        required: true,
        values: ['pending', 'attended', 'missed', 'cancelled', 'rescheduled', 'escalated'],
        aliases: ['attendance', 'detention_attendance'],
      },
    ],
  },
  interventions: {
    name: 'interventions',
    fileName: 'interventions.csv',
    key: ['intervention_id', 'student_id'],
    refersToPupil: true,
    columns: [
      { name: 'intervention_id', type: 'text', required: true },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'type', type: 'text', required: true, aliases: ['intervention', 'intervention_type'] },
      { name: 'start_date', type: 'date', required: true, aliases: ['start'] },
      { name: 'end_date', type: 'date', aliases: ['end'] },
      { name: 'review_date', type: 'date' },
      { name: 'focus', type: 'enum', values: ['behaviour', 'attendance', 'wellbeing', 'other'] },
      { name: 'staff', type: 'text' },
      { name: 'status', type: 'enum', values: ['planned', 'active', 'completed', 'withdrawn'] },
      { name: 'group_id', type: 'text' },
      { name: 'sessions_planned', type: 'integer', min: 0 },
      { name: 'sessions_attended', type: 'integer', min: 0 },
      { name: 'outcome', type: 'text' },
    ],
  },
  suspensions: {
    name: 'suspensions',
    fileName: 'suspensions.csv',
    key: ['suspension_id'],
    refersToPupil: true,
    columns: [
      { name: 'suspension_id', type: 'text', required: true, aliases: ['exclusion_id'] },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'start_date', type: 'date', required: true },
      // Either sessions (half-days) or days; one of them is checked in validation.
      { name: 'sessions', type: 'number', min: 0, aliases: ['half_days'] },
      { name: 'days', type: 'number', min: 0 },
      { name: 'type', type: 'enum', required: true, values: ['suspension', 'permanent', 'fixed term', 'fixed-term', 'permanent exclusion'] },
      { name: 'reason', type: 'text' },
    ],
  },
  contacts: {
    name: 'contacts',
    fileName: 'contacts.csv',
    key: ['contact_id'],
    refersToPupil: true,
    columns: [
      { name: 'contact_id', type: 'text', required: true },
      { name: 'student_id', type: 'text', required: true, aliases: ['pupil_id'] },
      { name: 'date', type: 'datetime', required: true },
      { name: 'method', type: 'text' },
      { name: 'reason', type: 'text' },
      { name: 'staff', type: 'text' },
      { name: 'outcome', type: 'text' },
    ],
  },
  calendar: {
    name: 'calendar',
    fileName: 'calendar.csv',
    key: ['academic_year', 'term', 'start_date'],
    refersToPupil: false,
    columns: [
      { name: 'academic_year', type: 'academic_year', required: true },
      { name: 'term', type: 'enum', required: true, values: ['autumn', 'spring', 'summer'] },
      { name: 'half_term', type: 'integer', min: 1, max: 6 },
      { name: 'start_date', type: 'date', required: true },
      { name: 'end_date', type: 'date', required: true },
    ],
    rowChecks: [{ column: 'end_date', reads: ['start_date', 'end_date'], when: 'end_date < start_date', reason: 'the term ends before it starts' }],
  },
  // The school day: which period a time of day falls in (sql/staging/stg_school_day.sql). A row
  // with no day applies to every day; rows naming a day replace those on that day (a short
  // Friday, a late start on Wednesdays). Without periods.csv, the default day in
  // sql/staging/ref_school_day.sql applies.
  periods: {
    name: 'periods',
    fileName: 'periods.csv',
    key: ['day', 'period'],
    refersToPupil: false,
    columns: [
      { name: 'period', type: 'text', required: true, aliases: ['period_name', 'lesson'] },
      { name: 'start_time', type: 'time', required: true, aliases: ['start', 'starts', 'from'] },
      { name: 'end_time', type: 'time', required: true, aliases: ['end', 'ends', 'to', 'until'] },
      {
        name: 'day',
        type: 'enum',
        values: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'mon', 'tue', 'tues', 'wed', 'weds', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun'],
        aliases: ['weekday', 'day_of_week'],
      },
    ],
    rowChecks: [{ column: 'end_time', reads: ['start_time', 'end_time'], when: 'end_time <= start_time', reason: 'the period ends at or before its start' }],
  },
};

/**
 * What a register mark counts as (docs/metrics.md): present and approved sessions are attended;
 * authorised and unauthorised ones are absences; all four are possible sessions; not_possible
 * is neither.
 */
export type AttendanceClass = 'present' | 'approved' | 'authorised' | 'unauthorised' | 'not_possible';

/**
 * DfE register codes (from August 2024), by class. The models read the same classes from
 * sql/staging/ref_attendance_codes.sql (with each code's description); a test holds the two
 * to the same codes and classes (test/ingest/attendance-codes.test.ts).
 */
export const ATTENDANCE_CODES_BY_CLASS: Readonly<Record<AttendanceClass, readonly string[]>> = {
  present: ['/', '\\', 'L'],
  approved: ['K', 'V', 'P', 'W', 'B'],
  authorised: ['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'R', 'S', 'T'],
  unauthorised: ['G', 'N', 'O', 'U'],
  not_possible: ['D', 'X', 'Z', '#', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'],
};

/** The current codes ingest accepts, in the order of the classes above. */
export const ATTENDANCE_CODES: readonly string[] = Object.values(ATTENDANCE_CODES_BY_CLASS).flat();

/**
 * Retired codes still found in older data: ingest reads them as the class given here and warns
 * with the meaning ("read as …").
 */
export const RETIRED_ATTENDANCE: Readonly<Record<string, { readonly class: AttendanceClass; readonly meaning: string }>> = {
  H: { class: 'authorised', meaning: 'authorised holiday (retired; now C)' },
  J: { class: 'authorised', meaning: 'interview (retired; now J1)' },
  Y: { class: 'not_possible', meaning: 'not possible, exceptional circumstances (retired; now Y1–Y7)' },
  F: { class: 'authorised', meaning: 'extended family holiday (retired; authorised)' },
};
export const RETIRED_ATTENDANCE_CODES: readonly string[] = Object.keys(RETIRED_ATTENDANCE);

/** Header matching ignores case, spaces, underscores and punctuation (`Student ID` = `student_id`). */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}
