/**
 * Class Charts detentions export: one row per pupil per detention.
 *
 * Source: classchartsapi/api-docs, openapi/schemas/detention/detention.yaml — id, attended
 * (yes / no / upscaled / pending), date, time, length, location, notes, pupil (id, first_name,
 * last_name), lesson.subject.name, lesson_pupil_behaviour.reason, teacher, detention_type.name;
 * content/docs/global-api/list-detentions.mdx.
 */
import type { VendorProfile } from './profile.ts';
import { PUPIL_FORM, PUPIL_ID, PUPIL_NAME } from './classcharts.ts';

export const classchartsDetentions: VendorProfile = {
  name: 'classcharts-detentions',
  vendor: 'Class Charts',
  title: 'Class Charts detentions export (attended yes / no / upscaled / pending)',
  recordType: 'detentions',
  sources: ['classchartsapi/api-docs: openapi/schemas/detention/detention.yaml', 'classchartsapi/api-docs: content/docs/global-api/list-detentions.mdx'],
  recognise: [['attended'], ['length', 'duration'], ['date']],
  pupil: {
    id: PUPIL_ID,
    name: PUPIL_NAME,
    firstName: ['pupil_first_name', 'first_name', 'forename'],
    lastName: ['pupil_last_name', 'last_name', 'surname'],
    form: PUPIL_FORM,
  },
  columns: {
    detention_id: { from: ['id', 'detention_id'] },
    date: { from: ['date'] },
    type: { from: ['detention_type', 'detention_type_name', 'type'] },
    minutes: { from: ['length', 'duration'] },
    reason: { from: ['reason', 'behaviour_reason', 'lesson_pupil_behaviour_reason'] },
    issued_by: { from: ['teacher', 'teacher_name'] },
    // "upscaled" is Class Charts' word for a detention escalated to a more serious one.
    status: { from: ['attended'], values: { yes: 'attended', no: 'missed', upscaled: 'escalated', pending: 'pending' } },
  },
  gaps: [
    'Pupils are matched by name (+ form) unless the export carries a mis_id / student_id column.',
    'Class Charts has no "cancelled" or "rescheduled" state in this field: those contract statuses never come from this profile.',
    'Time, location, subject and notes are kept in the raw layer only.',
  ],
};
