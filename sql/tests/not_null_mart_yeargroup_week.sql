-- test partitions: school_year
select * from mart_yeargroup_week
where school_id is null or academic_year is null or year_group is null or week_start is null or pupils_on_roll is null
