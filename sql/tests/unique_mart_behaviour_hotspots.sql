-- test partitions: school_year
-- mart_behaviour_hotspots has one row per school, school week, year group, dimension and label
-- (and weekday, for the weekday × period rows): the weekly review's bars and heatmap draw each
-- row as it is, without adding rows up. A row's school week is in its academic year, so two
-- rows with one key are in one (school, year): a refresh checks the changed years only.
select school_id, week_start, year_group, dimension, label, weekday, count(*) as n
from mart_behaviour_hotspots
group by all
having count(*) > 1
