"""The schema revision this build reads and writes, importable without SQLAlchemy: the
console's first queue (services/first_queue.py) checks it with the stdlib sqlite3 driver,
and store/migrate.py's fast check with one SELECT. A new migration changes it here;
tests/store/test_migrations.py keeps it equal to the head of db/migrations."""

HEAD_REVISION = "c4d2e8f1a6b3"
