-- DfE register codes from August 2024 (Working together to improve school attendance, 2024),
-- plus retired codes still found in older data. Class decides what a session counts as:
--   present, approved (approved educational activity): attending and possible
--   authorised, unauthorised: absent and possible
--   not_possible: neither
-- The is_* flags say what one session with the code counts as (L and U are the late marks,
-- before and after the register closed); the models count sessions by them.
-- Ingest accepts the same codes, by the same classes, from data-loaders/contract.ts
-- (ATTENDANCE_CODES_BY_CLASS, RETIRED_ATTENDANCE); test/ingest/attendance-codes.test.ts holds
-- the two to each other, code for code and class for class.
with codes(code, description, class, is_retired) as (
  values
    ('/', 'Present (AM)', 'present', false),
    ('\', 'Present (PM)', 'present', false),
    ('L', 'Late, before the register closed', 'present', false),
    ('K', 'Attending education provision arranged by the local authority', 'approved', false),
    ('V', 'Attending an educational visit or trip', 'approved', false),
    ('P', 'Participating in a sporting activity', 'approved', false),
    ('W', 'Attending work experience', 'approved', false),
    ('B', 'Attending any other approved educational activity', 'approved', false),
    ('C', 'Leave of absence for exceptional circumstances', 'authorised', false),
    ('C1', 'Leave of absence for a regulated performance or employment abroad', 'authorised', false),
    ('C2', 'Leave of absence for a compulsory school age pupil subject to a part-time timetable', 'authorised', false),
    ('E', 'Suspended or permanently excluded, no alternative provision made', 'authorised', false),
    ('I', 'Illness (not medical or dental appointment)', 'authorised', false),
    ('M', 'Medical or dental appointment', 'authorised', false),
    ('J1', 'Leave of absence to attend an interview for employment or education', 'authorised', false),
    ('R', 'Religious observance', 'authorised', false),
    ('S', 'Leave of absence for study leave', 'authorised', false),
    ('T', 'Parent travelling for occupational purposes', 'authorised', false),
    ('G', 'Holiday not granted by the school', 'unauthorised', false),
    ('N', 'Reason for absence not yet established', 'unauthorised', false),
    ('O', 'Absent in other or unknown circumstances', 'unauthorised', false),
    ('U', 'Arrived in school after registration closed', 'unauthorised', false),
    ('D', 'Dual registered, at another setting', 'not_possible', false),
    ('X', 'Not required to be in school (non-compulsory school age)', 'not_possible', false),
    ('Z', 'Prospective pupil not on admission register', 'not_possible', false),
    ('#', 'Planned whole-school closure', 'not_possible', false),
    ('Q', 'Unable to attend because of lack of access arrangements', 'not_possible', false),
    ('Y1', 'Unable to attend due to transport normally provided not being available', 'not_possible', false),
    ('Y2', 'Unable to attend due to widespread disruption to travel', 'not_possible', false),
    ('Y3', 'Unable to attend due to part of the school premises being closed', 'not_possible', false),
    ('Y4', 'Unable to attend due to the whole school site being unexpectedly closed', 'not_possible', false),
    ('Y5', 'Unable to attend as pupil is in criminal justice detention', 'not_possible', false),
    ('Y6', 'Unable to attend in accordance with public health guidance or law', 'not_possible', false),
    ('Y7', 'Unable to attend because of any other unavoidable cause', 'not_possible', false),
    ('H', 'Holiday authorised by the school (retired 2024)', 'authorised', true),
    ('J', 'Interview (retired 2024; now J1)', 'authorised', true),
    ('Y', 'Exceptional circumstances, not possible (retired 2024; now Y1–Y7)', 'not_possible', true),
    ('F', 'Agreed extended family holiday (retired)', 'authorised', true)
),
final as (
  select
    code,
    description,
    class,
    class <> 'not_possible' as is_possible,
    class in ('present', 'approved') as is_attending,
    class in ('authorised', 'unauthorised') as is_absent,
    is_retired,
    class = 'present' as is_present,
    class = 'approved' as is_approved_activity,
    class = 'authorised' as is_authorised,
    class = 'unauthorised' as is_unauthorised,
    code = 'L' as is_late_before_close,
    code = 'U' as is_late_after_close
  from codes
)
select * from final
