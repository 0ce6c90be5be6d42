import Foundation
import GRDB
import OutcomeEngine

/// The schema, as numbered migrations applied in order at open.
extension SQLiteQueueStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: events and jobs") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    call_id TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    body BLOB NOT NULL,
                    response TEXT NOT NULL
                );
                CREATE INDEX events_received_at ON events(received_at);
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    call_id TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    rule TEXT,
                    event_id INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_status INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX jobs_one_pending_per_call ON jobs(call_id) WHERE state = 'pending';
                CREATE UNIQUE INDEX jobs_one_in_flight_per_call ON jobs(call_id) WHERE state = 'in_flight';
                CREATE INDEX jobs_due ON jobs(state, next_attempt_at);
                CREATE INDEX jobs_state_created ON jobs(state, created_at);
                CREATE INDEX jobs_state_updated ON jobs(state, updated_at);
                """)
        }
        migrator.registerMigration("v2: health probe") { db in
            try db.execute(sql: "CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL)")
        }
        migrator.registerMigration("v3: health probe writes an event's size") { db in
            try db.execute(sql: "ALTER TABLE health ADD COLUMN padding BLOB")
        }
        migrator.registerMigration("v4: leases") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
                ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
                """)
        }
        return migrator
    }
}
