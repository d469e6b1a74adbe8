/**
 * Column titles SIMS report exports commonly use. SIMS reports are built by the school in
 * SIMS Reporting (the author chooses the fields and their titles), so these profiles match on
 * the titles SIMS gives its fields by default; add aliases here when a school's differ.
 */
export const SIMS_ID = ['Adno', 'Admission Number', 'Adm No', 'Adm. No.', 'Pupil ID', 'Student ID', 'MIS ID'];
export const SIMS_FORENAME = ['Forename', 'Legal Forename', 'Preferred Forename', 'First Name'];
export const SIMS_SURNAME = ['Surname', 'Legal Surname', 'Preferred Surname', 'Last Name'];
export const SIMS_NAME = ['Name', 'Pupil Name', 'Student Name', 'Surname Forename', 'Full Name'];
export const SIMS_FORM = ['Reg Group', 'Registration Group', 'Reg', 'Form', 'Tutor Group'];
/** Any of these identify the pupil in a SIMS report (used to recognise the layout). */
export const SIMS_PUPIL = ['Adno', 'Admission Number', 'Adm No', 'Surname', 'Legal Surname', 'Surname Forename'];
