/// The SQLite schema, as a list of migrations. `PRAGMA user_version` holds how many have run.
/// Append new migrations; never edit one that has shipped.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: readings keyed by small integer point ids, clustered by time (the order the rollup
        // reads them); allocations as one compact record per (day, point); flat rollups.
        """
        CREATE TABLE metering_points (
            id INTEGER PRIMARY KEY,
            zaehlpunkt TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('consumption', 'generation')),
            UNIQUE (zaehlpunkt, direction)
        );
        CREATE TABLE readings (
            start INTEGER NOT NULL,            -- Unix seconds, quarter-hour start (UTC)
            point INTEGER NOT NULL,            -- metering_points.id
            mwh INTEGER NOT NULL CHECK (mwh >= 0),
            quality INTEGER NOT NULL,          -- 0 measured, 1 substituted, 2 estimated
            PRIMARY KEY (start, point)
        ) WITHOUT ROWID;
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            point INTEGER NOT NULL,
            start INTEGER NOT NULL,
            old_mwh INTEGER NOT NULL,
            new_mwh INTEGER NOT NULL,
            old_quality INTEGER NOT NULL,
            new_quality INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL
        );
        CREATE TABLE dirty_days (
            community TEXT NOT NULL,
            day TEXT NOT NULL,                 -- local date YYYY-MM-DD
            version INTEGER NOT NULL,
            PRIMARY KEY (community, day)
        ) WITHOUT ROWID;
        CREATE TABLE allocations (
            community TEXT NOT NULL,
            day TEXT NOT NULL,
            point INTEGER NOT NULL,
            start INTEGER NOT NULL,            -- UTC start of the local day
            quarter_hours INTEGER NOT NULL,
            series BLOB NOT NULL,              -- per quarter hour: varint(reading + 1, 0 = missing), varint(share); see AllocationRecord
            PRIMARY KEY (community, day, point)
        ) WITHOUT ROWID;
        CREATE TABLE rollups_day (
            community TEXT NOT NULL,
            day TEXT NOT NULL,
            point INTEGER NOT NULL,            -- 0 for the community row
            start INTEGER NOT NULL,
            consumed_mwh INTEGER NOT NULL, produced_mwh INTEGER NOT NULL, shared_mwh INTEGER NOT NULL,
            grid_mwh INTEGER NOT NULL, surplus_mwh INTEGER NOT NULL,
            intervals INTEGER NOT NULL, expected_intervals INTEGER NOT NULL,
            PRIMARY KEY (community, day, point)
        ) WITHOUT ROWID;
        CREATE TABLE rollups_month (
            community TEXT NOT NULL,
            month TEXT NOT NULL,               -- local month YYYY-MM
            point INTEGER NOT NULL,
            start INTEGER NOT NULL,
            consumed_mwh INTEGER NOT NULL, produced_mwh INTEGER NOT NULL, shared_mwh INTEGER NOT NULL,
            grid_mwh INTEGER NOT NULL, surplus_mwh INTEGER NOT NULL,
            intervals INTEGER NOT NULL, expected_intervals INTEGER NOT NULL,
            PRIMARY KEY (community, month, point)
        ) WITHOUT ROWID;
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            community TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            outcome TEXT,
            first_day TEXT, last_day TEXT,
            days INTEGER, readings INTEGER,
            message TEXT
        );
        CREATE INDEX job_runs_by_community ON job_runs (community, command, id);
        """,
        // 2: views in kWh with the Zaehlpunkt spelled out, for people with the sqlite3 shell and
        // for SQL-speaking dashboards.
        """
        CREATE VIEW rollups_day_kwh AS
            SELECT r.community, r.day, r.start, CASE r.point WHEN 0 THEN 'community' ELSE 'meter' END AS scope,
                   mp.zaehlpunkt, r.consumed_mwh / 1e6 AS consumed_kwh, r.produced_mwh / 1e6 AS produced_kwh,
                   r.shared_mwh / 1e6 AS shared_kwh, r.grid_mwh / 1e6 AS grid_kwh, r.surplus_mwh / 1e6 AS surplus_kwh,
                   r.intervals, r.expected_intervals
            FROM rollups_day r LEFT JOIN metering_points mp ON mp.id = r.point;
        CREATE VIEW rollups_month_kwh AS
            SELECT r.community, r.month, r.start, CASE r.point WHEN 0 THEN 'community' ELSE 'meter' END AS scope,
                   mp.zaehlpunkt, r.consumed_mwh / 1e6 AS consumed_kwh, r.produced_mwh / 1e6 AS produced_kwh,
                   r.shared_mwh / 1e6 AS shared_kwh, r.grid_mwh / 1e6 AS grid_kwh, r.surplus_mwh / 1e6 AS surplus_kwh,
                   r.intervals, r.expected_intervals
            FROM rollups_month r LEFT JOIN metering_points mp ON mp.id = r.point;
        """,
        // 3: leases, so only one rollup per community runs at a time.
        """
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires INTEGER NOT NULL
        );
        """,
        // 4: statements issued by final billing runs, numbered without gaps per community and
        // year. Issued statements are immutable: the triggers refuse any change.
        """
        CREATE TABLE statements (
            community TEXT NOT NULL,
            year INTEGER NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            period TEXT NOT NULL,              -- 2026-10, 2026-Q4 or 2026
            first_day TEXT NOT NULL,           -- local date
            end_day TEXT NOT NULL,             -- local date after the period
            member TEXT NOT NULL,
            fingerprint TEXT NOT NULL,         -- of the statement's figures and lines
            incomplete INTEGER NOT NULL,       -- 1 if issued with --allow-incomplete over missing readings
            issued_at INTEGER NOT NULL,        -- Unix seconds
            PRIMARY KEY (community, year, sequence),
            UNIQUE (community, period, member)
        ) WITHOUT ROWID;
        CREATE INDEX statements_by_period ON statements (community, first_day);
        CREATE TRIGGER statements_are_immutable_update BEFORE UPDATE ON statements
            BEGIN SELECT RAISE(ABORT, 'issued statements are immutable'); END;
        CREATE TRIGGER statements_are_immutable_delete BEFORE DELETE ON statements
            BEGIN SELECT RAISE(ABORT, 'issued statements are immutable'); END;
        """,
        // 5: the grid operator's allocation (EDA), per community, point, quarter hour and meter code
        // (MeterCode.code); corrections of those figures name their community and code; day and
        // month rollups count the quarter hours that used the DSO's allocation; L3 values found
        // through a small partial index (few values are unreliable).
        """
        CREATE TABLE dso_figures (
            community TEXT NOT NULL,
            start INTEGER NOT NULL,            -- Unix seconds, quarter-hour start (UTC)
            point INTEGER NOT NULL,            -- metering_points.id
            code INTEGER NOT NULL,             -- MeterCode.code
            mwh INTEGER NOT NULL CHECK (mwh >= 0),
            quality INTEGER NOT NULL,          -- 0 measured (L1), 1 substituted (L2), 2 estimated (L3)
            PRIMARY KEY (community, start, point, code)
        ) WITHOUT ROWID;
        CREATE INDEX dso_figures_unreliable ON dso_figures (community, start) WHERE quality = 2;
        CREATE INDEX readings_unreliable ON readings (start) WHERE quality = 2;
        ALTER TABLE corrections ADD COLUMN community TEXT;     -- DSO figures only
        ALTER TABLE corrections ADD COLUMN meter_code INTEGER; -- DSO figures only (MeterCode.code)
        ALTER TABLE allocations ADD COLUMN dso BLOB;           -- AllocationRecord.encodeMask, NULL if none
        ALTER TABLE rollups_day ADD COLUMN dso_intervals INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE rollups_month ADD COLUMN dso_intervals INTEGER NOT NULL DEFAULT 0;
        DROP VIEW rollups_day_kwh;
        DROP VIEW rollups_month_kwh;
        CREATE VIEW rollups_day_kwh AS
            SELECT r.community, r.day, r.start, CASE r.point WHEN 0 THEN 'community' ELSE 'meter' END AS scope,
                   mp.zaehlpunkt, r.consumed_mwh / 1e6 AS consumed_kwh, r.produced_mwh / 1e6 AS produced_kwh,
                   r.shared_mwh / 1e6 AS shared_kwh, r.grid_mwh / 1e6 AS grid_kwh, r.surplus_mwh / 1e6 AS surplus_kwh,
                   r.intervals, r.expected_intervals, r.dso_intervals
            FROM rollups_day r LEFT JOIN metering_points mp ON mp.id = r.point;
        CREATE VIEW rollups_month_kwh AS
            SELECT r.community, r.month, r.start, CASE r.point WHEN 0 THEN 'community' ELSE 'meter' END AS scope,
                   mp.zaehlpunkt, r.consumed_mwh / 1e6 AS consumed_kwh, r.produced_mwh / 1e6 AS produced_kwh,
                   r.shared_mwh / 1e6 AS shared_kwh, r.grid_mwh / 1e6 AS grid_kwh, r.surplus_mwh / 1e6 AS surplus_kwh,
                   r.intervals, r.expected_intervals, r.dso_intervals
            FROM rollups_month r LEFT JOIN metering_points mp ON mp.id = r.point;
        """,
        // 6: cancellations and reissues. A statement row is a document: a statement or a
        // cancellation (Storno) of one, with the number it refers to (a cancellation: the
        // cancelled statement; a reissue: the statement it replaces), the cancellation's reason,
        // the tariff text it was priced with and its lines as issued (so a cancellation negates
        // what was sent, not today's figures). A member may now have several statements of a
        // period, but only one that was not a reissue, one cancellation per statement and one
        // reissue per cancelled statement. Rows stay immutable; "cancelled" is derived. Which
        // statement first collected under a direct-debit mandate (SEPA FRST, then RCUR).
        """
        CREATE TABLE statements_v6 (
            community TEXT NOT NULL,
            year INTEGER NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            period TEXT NOT NULL,
            first_day TEXT NOT NULL,
            end_day TEXT NOT NULL,
            member TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            incomplete INTEGER NOT NULL,
            issued_at INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'statement' CHECK (kind IN ('statement', 'cancellation')),
            reference TEXT,                    -- a statement number, see above
            reason TEXT,                       -- cancellations only
            pricing TEXT NOT NULL DEFAULT '',  -- the tariffs it was priced with ('' before version 6)
            document TEXT NOT NULL DEFAULT '', -- its lines and totals as issued ('' before version 6)
            PRIMARY KEY (community, year, sequence)
        ) WITHOUT ROWID;
        INSERT INTO statements_v6 (community, year, sequence, period, first_day, end_day, member, fingerprint, incomplete, issued_at)
            SELECT community, year, sequence, period, first_day, end_day, member, fingerprint, incomplete, issued_at FROM statements;
        DROP TABLE statements;
        ALTER TABLE statements_v6 RENAME TO statements;
        CREATE INDEX statements_by_period ON statements (community, first_day);
        CREATE UNIQUE INDEX statements_first_issue ON statements (community, period, member)
            WHERE kind = 'statement' AND reference IS NULL;
        CREATE UNIQUE INDEX statements_one_per_reference ON statements (community, kind, reference) WHERE reference IS NOT NULL;
        CREATE TRIGGER statements_are_immutable_update BEFORE UPDATE ON statements
            BEGIN SELECT RAISE(ABORT, 'issued statements are immutable'); END;
        CREATE TRIGGER statements_are_immutable_delete BEFORE DELETE ON statements
            BEGIN SELECT RAISE(ABORT, 'issued statements are immutable'); END;
        CREATE TABLE mandate_collections (
            community TEXT NOT NULL,
            mandate TEXT NOT NULL,
            first_statement TEXT NOT NULL,     -- the statement number collected with sequence type FRST
            PRIMARY KEY (community, mandate)
        ) WITHOUT ROWID;
        """,
        // 7: leases over day ranges, so rollups of disjoint days of a community run at once: a row
        // per claim (a holder's run of consecutive local days, or every day when first_day is
        // NULL), taken and renewed in one IMMEDIATE transaction; the job run remembers its lease
        // holder, so the next run can tell a killed run (its claim expired) from one on other days.
        """
        DROP TABLE leases;
        CREATE TABLE leases (
            name TEXT NOT NULL,
            holder TEXT NOT NULL,
            first_day TEXT,                    -- local date; NULL (with end_day): every day
            end_day TEXT,                      -- local date after the claim
            expires INTEGER NOT NULL,          -- Unix seconds
            PRIMARY KEY (name, holder, first_day)
        );
        ALTER TABLE job_runs ADD COLUMN holder TEXT;
        """,
    ]

    static var version: Int { migrations.count }
}
