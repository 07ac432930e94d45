"""The line in figures: rollups kept as calls and texts end (rollup), rebuilt on demand
(rebuild), read by the dashboards (selectors, tables, charts, views)."""
