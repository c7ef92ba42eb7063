"""Alembic environment of the case store: only the ``cases`` table, never Rasa's ``events``.

The database is ``sqlalchemy.url`` when the config gives one (``noticebot.intake.db.upgrade``
does), else ``DATABASE_URL`` from ``noticebot.settings``.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from noticebot.intake.db import VERSION_TABLE, make_engine
from noticebot.intake.models import metadata
from noticebot.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The URL given to Alembic, else DATABASE_URL."""
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate looks at our tables only (Rasa's ``events`` is none of its business)."""
    if type_ == "table":
        return name in metadata.tables
    return True


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade head --sql``)."""
    url = database_url()
    context.configure(
        url=url,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a connection to the database."""
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                version_table=VERSION_TABLE,
                include_name=include_name,
                compare_type=True,
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
