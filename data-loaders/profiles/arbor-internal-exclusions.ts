/**
 * Arbor internal exclusions list (Arbor's name for the Behaviour Support Centre / isolation):
 * one row per pupil per internal exclusion, the pupil named with year and form.
 *
 * Sources:
 * - arbor-education/sis-sdk-php, src/Arbor/Model/InternalExclusion.php: student, issuedByStaff,
 *   internalExclusionSession, internalExclusionType, internalExclusionReason, issuedDatetime,
 *   narrative (what the list's columns hold).
 * - Arbor support, "Setting up Internal Exclusions" (types, reasons, timetabled sessions):
 *   https://support.arbor-education.com/hc/en-us/articles/115003443393-Setting-up-Internal-Exclusions
 * - Arbor support, "Glossary of key terminology for Behaviour" (internal exclusion = removal to a
 *   separate room for behaviour):
 *   https://support.arbor-education.com/hc/en-us/articles/13674309043997-Glossary-of-key-terminology-for-Behaviour
 * The list view's column titles are not published; the ones matched here follow the model's
 * field names as Arbor's list views title them (Student, Reg. Form, Internal Exclusion Type,
 * Reason, Date, Start Time, End Time, Issued By, Issued Date, Narrative).
 */
import { stableId, withoutWeekday, type VendorProfile } from './profile.ts';
import { FORM, STUDENT } from './arbor-detentions.ts';

const DATE = ['Date', 'Internal Exclusion Date', 'Session Date', 'Start Date'];
const TYPE = ['Internal Exclusion Type', 'Internal Exclusion', 'Type'];

export const arborInternalExclusions: VendorProfile = {
  name: 'arbor-internal-exclusions',
  vendor: 'Arbor',
  title: 'Arbor internal exclusions list export (BSC placements; pupil by name and form)',
  recordType: 'bsc',
  sources: [
    'arbor-education/sis-sdk-php: src/Arbor/Model/InternalExclusion.php',
    'https://support.arbor-education.com/hc/en-us/articles/115003443393-Setting-up-Internal-Exclusions',
    'https://support.arbor-education.com/hc/en-us/articles/13674309043997-Glossary-of-key-terminology-for-Behaviour',
  ],
  recognise: [STUDENT, ['Internal Exclusion Type', 'Internal Exclusion'], DATE],
  pupil: { name: STUDENT, form: FORM },
  columns: {
    referral_id: {
      reads: [...STUDENT, ...DATE],
      sql: (_col, peek) => stableId('ARB-IE-', [peek(...STUDENT), peek(...FORM), peek(...DATE), peek(...TYPE), peek('Start Time')]),
    },
    date: { reads: DATE, sql: (col) => (col(...DATE) ? withoutWeekday(col(...DATE) as string) : null) },
    referred_by: { from: ['Issued By', 'Issued By Staff'] },
    reason: { from: ['Reason', 'Internal Exclusion Reason'] },
    start_time: { from: ['Start Time'] },
    end_time: { from: ['End Time'] },
  },
  gaps: [
    "Arbor does not publish this list's column titles: the profile matches the model's field names as list views title them; check a real export's header row and add aliases here if they differ.",
    'Pupils are matched on name + form against students.csv; no match or several matches is a reject.',
    'No referral id: it is a hash of pupil, form, date, type and start time.',
    'Booklet, conduct, outcome, periods and parent contact are not in Arbor’s list: they stay empty. Type and Narrative are kept in the raw layer only (narratives can hold safeguarding detail).',
  ],
};
