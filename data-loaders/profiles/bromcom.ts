/** Column titles shared by the Bromcom profiles (Bromcom list pages exported to CSV). */
export const BROMCOM_ID = ['Student ID', 'Admission Number', 'Adm No', 'MIS ID'];
export const BROMCOM_NAME = ['Student Name', 'Student', 'Name'];
export const BROMCOM_FORM = ['Tutor Group', 'Reg Group', 'Registration Group', 'Form'];
