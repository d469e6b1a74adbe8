-- test partitions: school_year
-- Flagged pupils never outnumber the pupils measured; severe absence is within persistent absence.
select * from mart_attendance_yeargroup_week
where persistently_absent > pupils_measured or severely_absent > persistently_absent
  or band_green + band_amber + band_amber_red + band_red <> pupils_measured
  or at_risk_band <> band_amber_red
