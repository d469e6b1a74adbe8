/**
 * Names shared by the Class Charts profiles. Class Charts exports follow its API's field names
 * (community documentation of the API: classchartsapi/api-docs, openapi/schemas/).
 */
/** A pupil id the school's MIS knows (Class Charts' own pupil ids are not MIS ids). */
export const PUPIL_ID = ['mis_id', 'student_id', 'admission_number', 'adno', 'upn_id'];
export const PUPIL_NAME = ['pupil_name', 'pupil', 'pupils', 'student_name', 'student'];
export const PUPIL_FORM = ['form', 'reg_group', 'registration_group', 'tutor_group', 'pupil_form'];
/** Several pupils in one cell: "Ada Lovelace, Alan Turing" or one per line. */
export const PUPIL_SEPARATOR = '\\s*[,;\\n]\\s*';
