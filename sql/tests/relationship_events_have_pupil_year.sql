-- test partitions: school_year
-- Every behaviour event lands in a year group: its pupil was on roll that academic year.
select school_id, event_id, student_id, date from int_behaviour_events where year_group is null
