-- DfE reason codes for suspensions and permanent exclusions (school census), with the words the
-- pages and the termly report show. The pupil page reads the same words from
-- reports/components/suspension-reasons.js; test/models/suspension-reasons.test.ts holds the
-- two to the same codes and words.
with reasons(reason, description) as (
  values
    ('PD', 'Persistent disruptive behaviour'),
    ('VA', 'Verbal abuse or threat against an adult'),
    ('VP', 'Verbal abuse or threat against a pupil'),
    ('PA', 'Physical assault against an adult'),
    ('PP', 'Physical assault against a pupil'),
    ('BU', 'Bullying'),
    ('RA', 'Racist abuse'),
    ('LG', 'Abuse against sexual orientation or gender identity'),
    ('DS', 'Abuse relating to disability'),
    ('SM', 'Sexual misconduct'),
    ('DA', 'Drug and alcohol related'),
    ('DM', 'Damage'),
    ('TH', 'Theft'),
    ('OW', 'Use or threat of use of an offensive weapon or prohibited item'),
    ('MT', 'Inappropriate use of social media or online technology'),
    ('OT', 'Other')
)
select * from reasons
