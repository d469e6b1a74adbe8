/**
 * Bromcom behaviour event records: one row per event, naming its pupil, or the pupils in
 * "Affected Students" (several per cell).
 *
 * Sources:
 * - Bordesley IT (Bromcom support partner), "Behaviour Entry": Event Type, Event, Outcomes,
 *   Points, Comments, Group (class or tutor group), Location, Date/Time, Owner, Internal
 *   Comments, Classification, Affected Students, Affected Staff, Witness, Referral Recipients,
 *   Logged By: https://support.bordesley.it/support/solutions/articles/44002582255-behaviour-entry
 * - Bromcom, "Behaviour Overview" (events, event types, Modules > Behaviour > Event Records):
 *   https://docs.bromcom.com/knowledge-base/behaviour-overview/
 */
import { stableId, timeOf, type VendorProfile } from './profile.ts';
import { BROMCOM_FORM, BROMCOM_ID, BROMCOM_NAME } from './bromcom.ts';

const DATE = ['Date/Time', 'Date Time', 'Event Date', 'Date'];

export const bromcomBehaviour: VendorProfile = {
  name: 'bromcom-behaviour',
  vendor: 'Bromcom',
  title: 'Bromcom behaviour event records (Affected Students split into one row per pupil)',
  recordType: 'behaviour',
  sources: [
    'https://support.bordesley.it/support/solutions/articles/44002582255-behaviour-entry',
    'https://docs.bromcom.com/knowledge-base/behaviour-overview/',
  ],
  recognise: [['Event'], ['Event Type'], ['Date/Time', 'Date Time', 'Event Date'], [...BROMCOM_NAME, ...BROMCOM_ID, 'Affected Students']],
  pupil: {
    id: BROMCOM_ID,
    name: [...BROMCOM_NAME, 'Affected Students'],
    form: BROMCOM_FORM,
    // Only "Affected Students" holds several pupils; a single-pupil column is never split.
    split: { separator: '\\s*[,;\\n]\\s*', headers: ['Affected Students'] },
  },
  columns: {
    event_id: {
      reads: ['Event ID', 'ID', ...DATE],
      sql: (col, peek) => col('Event ID', 'Event Record ID', 'ID') ?? stableId('BROM-', [peek(...DATE), peek('Event'), peek('Event Type'), peek('Logged By', 'Owner')]),
    },
    date: { from: DATE },
    time: { reads: DATE, sql: (_col, peek) => (peek(...DATE) ? timeOf(peek(...DATE) as string) : null) },
    category: { from: ['Event'] },
    points: { from: ['Points'] },
    location: { from: ['Location'] },
    staff: { from: ['Owner', 'Logged By'] },
    action: { from: ['Outcomes', 'Outcome'] },
    comment: { from: ['Comments'] },
  },
  gaps: [
    'Polarity comes from the sign of Points (Bromcom\'s Event Type is kept in the raw layer: schools use it both for positive/negative and for their own groupings).',
    'When there is no single-pupil column, the pupils of "Affected Students" each get the event; Bromcom describes them as students affected by the incident, so check that this is how the school uses the field.',
    'Without an event id column, the id is a hash of date/time, event, event type and who logged it.',
    'Internal Comments, Classification, Group, Affected Staff, Witness and Referral Recipients are kept in the raw layer only; Internal Comments never reach reports.',
    'Names are matched against students.csv (a "(form)" after a name is used as the form).',
    'No period column: the period is found from the time in Date/Time, placed in the school day (periods.csv, or the default English day).',
  ],
};
