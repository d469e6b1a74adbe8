/**
 * SIMS behaviour (and achievement) incidents report: one row per pupil per incident.
 *
 * Sources:
 * - shared/VENDOR-EXPORTS.md, SIMS: incident type, status, activity, location, date and time,
 *   comments, bullying type; per pupil: role, action and action date, points; positive behaviour
 *   recorded as "Achievements".
 * - "Implementing SIMS Behaviour" (Capita training guide: behaviour types, achievement types,
 *   additional information): https://paperzz.com/doc/7103307/implementing-sims-behaviour
 * - "Bullying and Hate Incident reporting guidance, using SIMS" (recording incidents and running
 *   behaviour reports): https://docplayer.net/amp/18829979-Bullying-and-hate-incident-reporting-guidance-using-sims.html
 * - Keystone MIS, "Attendance Reports Specification" (SIMS report menus):
 *   https://support.keystonemis.co.uk/hc/en-us/articles/360000267343-Attendance-Reports-Specification
 */
import { stableId, timeOf, type VendorProfile } from './profile.ts';
import { SIMS_FORENAME, SIMS_FORM, SIMS_ID, SIMS_NAME, SIMS_PUPIL, SIMS_SURNAME } from './sims.ts';

const DATE = ['Incident Date', 'Behaviour Date', 'Achievement Date', 'Event Date', 'Date'];
const TIME = ['Incident Time', 'Time'];
const TYPE = ['Behaviour Type', 'Incident Type', 'Achievement Type', 'Behaviour', 'Type'];
const INCIDENT_ID = ['Incident ID', 'Incident Number', 'Incident Ref', 'Behaviour ID', 'Achievement ID'];

export const simsBehaviour: VendorProfile = {
  name: 'sims-behaviour',
  vendor: 'SIMS',
  title: 'SIMS behaviour / achievement incidents report (common column titles)',
  recordType: 'behaviour',
  sources: [
    'shared/VENDOR-EXPORTS.md: SIMS behaviour incidents',
    'https://paperzz.com/doc/7103307/implementing-sims-behaviour',
    'https://docplayer.net/amp/18829979-Bullying-and-hate-incident-reporting-guidance-using-sims.html',
  ],
  recognise: [SIMS_PUPIL, ['Incident Date', 'Behaviour Date', 'Achievement Date'], ['Behaviour Type', 'Incident Type', 'Achievement Type']],
  pupil: { id: SIMS_ID, name: SIMS_NAME, firstName: SIMS_FORENAME, lastName: SIMS_SURNAME, form: SIMS_FORM },
  columns: {
    // The incident's own id when the report has it; else one made from the incident's date, time,
    // type, activity and location, so the pupils of one incident share it (key = incident + pupil).
    event_id: {
      reads: [...INCIDENT_ID, ...DATE],
      sql: (col, peek) =>
        col(...INCIDENT_ID) ?? stableId('SIMS-', [peek(...DATE), peek(...TIME), peek(...TYPE), peek('Activity', 'Activity Type'), peek('Location')]),
    },
    date: { from: DATE },
    time: {
      reads: [...TIME, ...DATE],
      sql: (col, peek) => col(...TIME) ?? (peek(...DATE) ? timeOf(peek(...DATE) as string) : null),
    },
    // A SIMS achievement is positive by definition; otherwise the sign of the points decides (in staging).
    polarity: {
      reads: ['Polarity', 'Achievement Type'],
      sql: (col, peek) => col('Polarity') ?? (peek('Achievement Type', 'Achievement Date') ? "'positive'" : null),
    },
    category: { from: TYPE },
    points: { from: ['Points', 'Behaviour Points', 'Achievement Points', 'Pts'] },
    subject: { from: ['Subject', 'Activity', 'Activity Type'] },
    location: { from: ['Location'] },
    staff: { from: ['Recorded By', 'Reported By', 'Staff', 'Teacher', 'Author'] },
    action: { from: ['Action Taken', 'Action', 'Outcome'] },
    comment: { from: ['Comments', 'Comment', 'Incident Comments'] },
  },
  // SIMS lists everyone involved in an incident with a role: a target or witness did not do the behaviour.
  rejectRows: [
    {
      reads: ['Role'],
      when: (_col, peek) => (peek('Role') ? `lower(trim(${peek('Role')})) IN ('target', 'victim', 'witness')` : null),
      reason: "not this pupil's behaviour: SIMS lists everyone involved, and a target or witness is not loaded as a behaviour event",
    },
  ],
  gaps: [
    'SIMS reports have the titles their author chose: the profile knows the default titles listed here; a report with other titles needs aliases added (or a canonical behaviour.csv).',
    'Pupils are identified by Adno (admission number), which students.csv must use as student_id; without an Adno column they are matched by name (+ reg group).',
    'Without an incident id column, the id is a hash of date, time, type, activity and location: one pupil with two identical incidents at the same minute is one key.',
    'Pupils with the role Target, Victim or Witness are rejected with a reason (they did not do the behaviour); the role, status, bullying type and action date are kept in the raw layer. SIMS "Activity" is read as the subject.',
  ],
};
