-- Kaplan–Meier re-referral curve: the share of BSC placements not yet followed by another
-- placement of the same pupil after d school days, per school and academic year. A placement
-- with no later one is censored at the end of the data (we only know it lasted that long).
with spells as (
  select school_id, academic_year, followup_school_days as t, followup_ended_by_rereferral as event
  from mart_bsc_referrals
),
at_times as (
  select school_id, academic_year, t,
    count(*) filter (where event)::INTEGER as rereferrals,
    count(*) filter (where not event)::INTEGER as censored
  from spells group by all
),
with_risk as (
  select *,
    sum(rereferrals + censored) over (partition by school_id, academic_year order by t desc rows unbounded preceding)::INTEGER as at_risk
  from at_times
),
final as (
  select school_id, academic_year, t as school_days, at_risk, rereferrals, censored,
    -- S(t) = Π (1 − d_i / n_i) over times up to t, as exp(Σ ln) for a window product.
    round(exp(sum(ln(greatest(1 - rereferrals / at_risk, 1e-12))) over (partition by school_id, academic_year order by t rows unbounded preceding)), 4) as share_not_rereferred
  from with_risk
)
select * from final
