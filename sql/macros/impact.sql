-- The breakdowns of the intervention-impact marts (mart_intervention_impact_by_type,
-- mart_termly_intervention_impact): each intervention counts in its type, in its focus and in
-- all interventions. A list of three (breakdown, label) rows to unnest beside the intervention's
-- own row (`unnest(impact_breakdowns(type, focus), recursive := true)`): breakdown = 'type' |
-- 'focus' | 'all', label = the type, the focus, or 'All interventions'.
CREATE OR REPLACE MACRO impact_breakdowns(impact_type, impact_focus) AS
  [{breakdown: 'type', label: impact_type}, {breakdown: 'focus', label: impact_focus}, {breakdown: 'all', label: 'All interventions'}];
