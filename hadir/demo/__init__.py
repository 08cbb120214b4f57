"""The demo region: Kabupaten Kutai Timur (BPS 6408) with a realistic attendance history.

`services.demo_create` is what `hadir demo` and `hadir run` (on an empty database) call;
`data` holds the fixed data (units, names, the 2026 calendar), `people` the employees,
`history` the day-by-day behaviour, and `ruleset.toml` the region's rule set.
"""
