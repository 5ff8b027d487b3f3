"""The store: tables (models), engine and write transaction (db), database errors, migrations.
May import only `monitoring.errors` and the standard/SQLAlchemy/alembic libraries."""
