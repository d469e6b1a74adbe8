-- incremental: school_year
-- incremental weeks: by week_start; same week of int_pupil_weeks, int_behaviour_events, int_attendance_by_pupil_week, stg_bsc, stg_detentions, stg_contacts, stg_suspensions
-- One row per pupil per school week on roll: behaviour, attendance, BSC, detentions,
-- suspensions, parent contacts and interventions active that week, and the week's running
-- school-week index per school across academic years (week_index, from int_school_weeks), so
-- windows of "N school weeks before / after" skip holidays. The grain the watchlist, the
-- intervention impact, int_attendance_thresholds_by_pupil_week and mart_pupil_week (every column
-- but week_index and the minutes late) build on. The minutes late (the week's, by kind of late
-- mark) come last: only the thresholds read them, which then need no join of their own to the
-- attendance.
with roll as (
  -- The pupil-weeks carry their week's first and last day and week_index (int_pupil_weeks).
  select * from int_pupil_weeks
),
-- The week's behaviour events, BSC placements, detentions, suspensions and parent contacts,
-- counted in one grouping: one join to the 4.4M pupil-weeks of a trust instead of five.
week_events as (
  select school_id, student_id, week_start, 'behaviour' as source, polarity, points, severity,
    null::VARCHAR as status, null::VARCHAR as type, null::DOUBLE as sessions
  from int_behaviour_events
  union all
  select school_id, student_id, school_week_start(date), 'bsc', null, null, null, null, null, null
  from stg_bsc
  union all
  select school_id, student_id, school_week_start(date), 'detention', null, null, null, status, null, null
  from stg_detentions
  union all
  select school_id, student_id, school_week_start(start_date), 'suspension', null, null, null, null, type, sessions
  from stg_suspensions
  union all
  select school_id, student_id, school_week_start(date), 'contact', null, null, null, null, null, null
  from stg_contacts
),
counted as (
  select school_id, student_id, week_start,
    count(*) filter (where source = 'behaviour' and polarity = 'negative')::INTEGER as negative_events,
    count(*) filter (where source = 'behaviour' and polarity = 'positive')::INTEGER as positive_events,
    coalesce(sum(abs(points)) filter (where source = 'behaviour' and polarity = 'negative'), 0)::INTEGER as negative_points,
    coalesce(sum(points) filter (where source = 'behaviour' and polarity = 'positive'), 0)::INTEGER as positive_points,
    count(*) filter (where source = 'behaviour' and polarity = 'negative' and severity >= (select serious_severity from settings))::INTEGER as serious_events,
    count(*) filter (where source = 'bsc')::INTEGER as bsc_placements,
    count(*) filter (where source = 'detention' and status <> 'cancelled')::INTEGER as detentions_set,
    count(*) filter (where source = 'detention' and status = 'missed')::INTEGER as detentions_missed,
    count(*) filter (where source = 'suspension' and type = 'suspension')::INTEGER as suspensions_started,
    coalesce(sum(sessions) filter (where source = 'suspension' and type = 'suspension'), 0)::DOUBLE as suspension_sessions,
    count(*) filter (where source = 'suspension' and type = 'permanent')::INTEGER as permanent_exclusions,
    count(*) filter (where source = 'contact')::INTEGER as parent_contacts
  from week_events
  group by all
),
interventions as (
  -- Active in a week: started by its last school day, not ended before its first; planned
  -- (not yet started) ones do not count. The pupil-weeks are read from the view here, not from
  -- roll: roll read twice was materialised (the trust's 4.4M pupil-weeks copied, 15 columns),
  -- while this join needs only the weeks of pupils with an intervention.
  select r.school_id, r.student_id, r.week_start, count(*)::INTEGER as active_interventions,
    string_agg(distinct i.type, ', ' order by i.type) as active_intervention_types
  from int_pupil_weeks r
  join stg_interventions i
    on i.school_id = r.school_id and i.student_id = r.student_id
   and i.start_date <= r.last_day and coalesce(i.end_date, DATE '9999-12-31') >= r.first_day
   and i.status <> 'planned'
  group by all
),
attendance as (
  -- Joined by academic year too: a week that spans 31 August and 1 September has a row in each
  -- year, in the pupil-weeks and in the attendance, and each year's row takes that year's marks.
  select school_id, student_id, academic_year, week_start, possible_sessions, attending_sessions, authorised_sessions,
    unauthorised_sessions, late_before_close_sessions, late_after_close_sessions, minutes_late_before_close, minutes_late_after_close
  from int_attendance_by_pupil_week
),
final as (
  select
    r.school_id, r.academic_year, r.week_start, r.week_number, r.term, r.half_term,
    r.student_id, r.year_group, r.form,
    coalesce(e.negative_events, 0) as negative_events,
    coalesce(e.positive_events, 0) as positive_events,
    coalesce(e.negative_points, 0) as negative_points,
    coalesce(e.positive_points, 0) as positive_points,
    coalesce(e.serious_events, 0) as serious_events,
    coalesce(a.possible_sessions, 0) as possible_sessions,
    coalesce(a.attending_sessions, 0) as attending_sessions,
    coalesce(a.authorised_sessions, 0) as authorised_sessions,
    coalesce(a.unauthorised_sessions, 0) as unauthorised_sessions,
    coalesce(a.late_before_close_sessions, 0) as late_before_close_sessions,
    coalesce(a.late_after_close_sessions, 0) as late_after_close_sessions,
    round(attendance_pct(a.attending_sessions, a.possible_sessions), 2) as attendance_pct,
    coalesce(e.bsc_placements, 0) as bsc_placements,
    coalesce(e.detentions_set, 0) as detentions_set,
    coalesce(e.detentions_missed, 0) as detentions_missed,
    coalesce(e.suspensions_started, 0) as suspensions_started,
    coalesce(e.suspension_sessions, 0) as suspension_sessions,
    coalesce(e.permanent_exclusions, 0) as permanent_exclusions,
    coalesce(e.parent_contacts, 0) as parent_contacts,
    coalesce(i.active_interventions, 0) as active_interventions,
    i.active_intervention_types,
    r.week_index,
    coalesce(a.minutes_late_before_close, 0) as minutes_late_before_close,
    coalesce(a.minutes_late_after_close, 0) as minutes_late_after_close
  from roll r
  left join counted e using (school_id, student_id, week_start)
  left join attendance a using (school_id, student_id, academic_year, week_start)
  left join interventions i using (school_id, student_id, week_start)
)
select * from final
