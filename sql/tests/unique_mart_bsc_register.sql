-- mart_bsc_register has one row per BSC placement.
select school_id, referral_id, count(*) as n
from mart_bsc_register
group by all
having count(*) > 1
