"""The DuckDB baseline of `make bench`: the whole job in DuckDB, in memory.

Reads the canonical readings CSV, allocates each quarter hour's production to the consuming
points as `energy rollup` does for a community with the dynamic key and full participation
(in proportion to consumption, the leftover milliwatt-hours by largest remainder, ties to the
earlier point of the community file; generators the same way when not all production is
taken), and writes each point's month totals in mWh as CSV: zaehlpunkt, direction, energy
(consumed or produced) and shared.

    .venv/bin/python scripts/bench-duckdb.py readings.csv points.csv totals.csv

points.csv lists the community's metering points in file order: zaehlpunkt,direction,idx.
"""

import sys

import duckdb

readings, points, out = sys.argv[1:4]
con = duckdb.connect(":memory:")
con.execute(f"""
COPY (
WITH r AS (
    SELECT zaehlpunkt, direction, start, CAST(kwh * 1000000 AS BIGINT) AS mwh
    FROM read_csv('{readings}', header = true,
                  columns = {{'zaehlpunkt': 'VARCHAR', 'start': 'VARCHAR', 'direction': 'VARCHAR',
                              'kwh': 'DECIMAL(18,6)', 'quality': 'VARCHAR'}})
),
p AS (SELECT * FROM read_csv('{points}', header = true)),
q AS (
    SELECT start,
           coalesce(sum(mwh) FILTER (WHERE direction = 'generation'), 0) AS offered,
           coalesce(sum(mwh) FILTER (WHERE direction = 'consumption'), 0) AS demand
    FROM r GROUP BY start
),
a AS (
    SELECT r.zaehlpunkt, r.direction, r.start, r.mwh, p.idx,
           least(q.offered, q.demand) AS allocated,
           CASE WHEN r.direction = 'consumption' THEN q.demand ELSE q.offered END AS weights
    FROM r JOIN q USING (start) JOIN p USING (zaehlpunkt, direction)
),
d AS (
    SELECT *,
           CASE WHEN allocated = weights THEN mwh
                ELSE CAST(allocated AS HUGEINT) * mwh // weights END AS base,
           CASE WHEN allocated = weights OR weights = 0 THEN 0
                ELSE CAST(allocated AS HUGEINT) * mwh % weights END AS rest
    FROM a
),
ranked AS (
    SELECT *,
           allocated - sum(base) OVER (PARTITION BY start, direction) AS leftover,
           row_number() OVER (PARTITION BY start, direction ORDER BY rest DESC, idx) AS rank
    FROM d
)
SELECT zaehlpunkt, direction, sum(mwh) AS energy,
       CAST(sum(base + CASE WHEN rest > 0 AND rank <= leftover THEN 1 ELSE 0 END) AS BIGINT) AS shared
FROM ranked GROUP BY zaehlpunkt, direction ORDER BY zaehlpunkt, direction
) TO '{out}' (HEADER, DELIMITER ',')
""")
