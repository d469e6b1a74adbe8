-- mart_pupils_of_concern: at most 10 pupils per school, year group and week, ranked 1…10 with
-- no gaps, one row per pupil, and every pupil listed for a reason (2+ negative events, a
-- serious event or a BSC placement).
select school_id, year_group, week_start, student_id, concern_rank
from mart_pupils_of_concern
where concern_rank not between 1 and 10
   or not (negative_events >= 2 or serious_events > 0 or bsc_placements > 0)
   or (attendance_pct_ytd is not null and attendance_pct_ytd not between 0 and 100)
union all
select school_id, year_group, week_start, null, max(concern_rank)
from mart_pupils_of_concern
group by all
having count(*) <> max(concern_rank) or count(distinct student_id) <> count(*)
