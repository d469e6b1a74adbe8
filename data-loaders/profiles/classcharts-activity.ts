/**
 * Class Charts activity (behaviour points): one row per behaviour event, which may name
 * several pupils in one cell (a point given to a group).
 *
 * Source: classchartsapi/api-docs, openapi/schemas/activityPoint.yaml — id, type (detention,
 * notice, attendance_event, question, event, behaviour), polarity (positive / blank / negative),
 * reason, score, timestamp, pupil_name, lesson_name, teacher_name, room_name, note; and
 * content/docs/global-api/list-activity.mdx (GET /activity/{studentId}).
 */
import { timeOf, type VendorProfile } from './profile.ts';
import { PUPIL_FORM, PUPIL_ID, PUPIL_NAME, PUPIL_SEPARATOR } from './classcharts.ts';

export const classchartsActivity: VendorProfile = {
  name: 'classcharts-activity',
  vendor: 'Class Charts',
  title: 'Class Charts activity export (behaviour points; several pupils per event allowed)',
  recordType: 'behaviour',
  sources: ['classchartsapi/api-docs: openapi/schemas/activityPoint.yaml', 'classchartsapi/api-docs: content/docs/global-api/list-activity.mdx'],
  recognise: [['id'], ['polarity'], ['reason'], ['timestamp'], PUPIL_NAME],
  pupil: { id: PUPIL_ID, name: PUPIL_NAME, form: PUPIL_FORM, split: { separator: PUPIL_SEPARATOR } },
  columns: {
    // The activity id is the event; with the pupil it is the key (one event, several pupils).
    event_id: { from: ['id', 'activity_id'] },
    date: { from: ['timestamp', 'date'] },
    time: { reads: ['timestamp'], sql: (col) => (col('timestamp') ? timeOf(col('timestamp') as string) : null) },
    polarity: { from: ['polarity'], values: { blank: 'neutral' } },
    category: { from: ['reason'] },
    points: { from: ['score'] },
    subject: { from: ['lesson_name', 'lesson'] },
    location: { from: ['room_name', 'room'] },
    staff: { from: ['teacher_name', 'teacher'] },
    comment: { from: ['note', 'notes'] },
  },
  rejectRows: [
    {
      reads: ['type'],
      when: (col) => (col('type') ? `lower(trim(${col('type')})) <> 'behaviour'` : null),
      reason: 'not a behaviour point: other Class Charts activity (detention, notice, attendance_event, …) is not loaded as behaviour',
    },
  ],
  gaps: [
    "Pupils are named: each name is matched against students.csv (with the form when the export has one); a mis_id / student_id column is used instead when present (Class Charts' own pupil ids are not MIS ids).",
    'Several pupils in one cell (separated by commas, semicolons or line breaks) become one row each; a name written "Surname, Forename" in such a cell cannot be told from two pupils.',
    'Activity of other types (detentions, notices, attendance events) is rejected with a reason, not loaded as behaviour.',
    'No severity, period or action in the activity feed. The period is found from the time in timestamp (in UK time: a timestamp in UTC or with an offset is converted), placed in the school day (periods.csv, or the default English day).',
  ],
};
