"""Settings from the environment (prefix ``MDR_``), validated at start-up.

A bad value stops the program with one line naming the setting
(see :func:`load_settings`), never with a traceback.
"""

from __future__ import annotations

import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from mdr.errors import ConfigurationError

#: A shorter MDR_SECRET_KEY is refused: HMACs of identifiers from a small number space
#: are only as hard to reverse as the key is to guess (32 hex digits are 128 bits).
MIN_SECRET_KEY_CHARS = 32

#: Internal: set by a parent process that started the embedded server, so that
#: its children (API workers, the scheduler) reuse it instead of starting another.
EMBEDDED_URL_ENV = "_MDR_EMBEDDED_URL"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MDR_", extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL (postgresql://user:pass@host:port/db). Unset: embedded server.",
    )
    data_dir: Path = Field(
        default=Path(".mdr"),
        description="Folder for the embedded PostgreSQL cluster, archives and generated data.",
    )
    read_replica_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated PostgreSQL URLs of streaming replicas for API reads.",
    )
    read_replica_max_lag_seconds: float = Field(
        default=30.0, gt=0, le=86400,
        description="A read replica further behind the primary than this serves no reads "
        "until it catches up.",
    )
    read_replica_check_seconds: float = Field(
        default=1.0, ge=0.1, le=3600,
        description="How often each API process checks each read replica (a down or hung "
        "one: backing off to 30 s).",
    )
    read_replica_timeout_seconds: float = Field(
        default=2.0, gt=0, le=60,
        description="A read replica that takes longer to accept a connection or answer its "
        "health check is hung.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    pool_size: int = Field(default=10, ge=1, le=500)
    scheduler_heartbeat_seconds: int = Field(default=60, ge=1, le=86400)
    sync_cron: str = Field(
        default="0 2 * * *",
        description="Cron (Asia/Seoul) of the nightly sync jobs; datasets start 3 minutes apart.",
    )
    sync_retries: int = Field(default=3, ge=0, le=20)
    sync_retry_backoff_seconds: int = Field(default=300, ge=1, le=86400)
    secret_key: SecretStr | None = Field(
        default=None,
        description="Server secret for identifier HMACs in the access log and subject tokens, "
        f"at least {MIN_SECRET_KEY_CHARS} characters. Unset: generated once into "
        "MDR_DATA_DIR/secret.key. Set it in production and share it between all API processes.",
    )
    rate_limit_per_second: float = Field(default=2000.0, gt=0, le=1_000_000,
                                         description="Requests per second per API key.")
    rate_limit_burst: int = Field(default=4000, ge=1, le=10_000_000)
    max_request_bytes: int = Field(default=1_048_576, ge=1024, le=100_000_000)
    max_upload_bytes: int = Field(default=2_147_483_648, ge=1024,
                                  description="Largest agency copy accepted for reconciliation.")
    max_header_bytes: int = Field(default=16_384, ge=1024, le=1_048_576,
                                  description="Largest request head (request line and headers); "
                                  "a larger one is answered 431 and the connection closed.")
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=600,
                                          description="A connection that has not sent a whole "
                                          "request head within this time is closed.")
    body_timeout_seconds: float = Field(default=30.0, gt=0, le=3600,
                                        description="A request body that stops arriving for this "
                                        "long closes its connection.")
    keep_alive_seconds: float = Field(default=5.0, gt=0, le=600,
                                      description="An idle keep-alive connection is closed after "
                                      "this time.")
    statement_timeout_seconds: float = Field(default=15.0, gt=0, le=86_400,
                                             description="Longest statement of an API request "
                                             "(statement_timeout of the API's connections).")
    lock_timeout_seconds: float = Field(default=5.0, gt=0, le=86_400,
                                        description="Longest wait of an API statement for a lock "
                                        "(lock_timeout of the API's connections).")
    audit_writers: int = Field(default=2, ge=1, le=64,
                               description="Access-log writers (parallel commits, each its own "
                               "hash chain) per API process.")
    lookup_readers: int = Field(default=2, ge=1, le=64,
                                description="Key-lookup readers (parallel statements, each "
                                "reading the keys of every waiting request) per API process.")
    access_log: bool = Field(default=False, description="Log every API request (costs "
                             "throughput); `mdr serve --access-log` sets it.")
    demo_scale: int = Field(default=10_000, ge=0, le=1_000_000,
                            description="Residents in the demo data `mdr up` loads (0: none).")
    audit_chain_key_version: int = Field(
        default=1, ge=1, le=1000,
        description="Version of the access-log chain key derived from the server secret: "
        "raise it to rotate the key (new chains use the new key; verify derives every "
        "earlier version).",
    )
    audit_retired_chain_keys_file: Path | None = Field(
        default=None,
        description="File of retired access-log chain keys (`mdr audit chain-keys --out`), "
        "read by `mdr audit verify` only: keeps chains written under an earlier server "
        "secret verifiable.",
    )
    audit_signing_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs access-log checkpoints. Unset: generated once "
        "into MDR_DATA_DIR/audit-signing.key.",
    )
    audit_checkpoint_dir: Path | None = Field(
        default=None,
        description="Folder the scheduler writes a signed access-log checkpoint into every "
        "hour (ship it off the machine). Unset: no scheduled checkpoints.",
    )

    @field_validator("sync_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        # Only when MDR_SYNC_CRON is set: settings load in every command, APScheduler not.
        from apscheduler.triggers.cron import CronTrigger  # noqa: PLC0415

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab expression ({exc})") from None
        return value

    @field_validator("database_url", "secret_key", "audit_retired_chain_keys_file",
                     "audit_signing_key_file", "audit_checkpoint_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is not None:
            _check_postgres_url(value)
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_KEY_CHARS:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_CHARS} characters "
                             "(e.g. `openssl rand -hex 32`)")
        return value

    @field_validator("read_replica_urls", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("read_replica_urls")
    @classmethod
    def _replicas_postgres_only(cls, value: list[str]) -> list[str]:
        for url in value:
            _check_postgres_url(url)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def drop_dir(self) -> Path:
        """Per-dataset drop folders the nightly sync reads (``drop/<dataset>/``)."""
        return self.data_dir / "drop"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def signing_key_file(self) -> Path:
        """The access-log checkpoints' signing key (MDR_AUDIT_SIGNING_KEY_FILE)."""
        return self.audit_signing_key_file or self.data_dir / "audit-signing.key"


def _check_postgres_url(url: str) -> None:
    # Only when a URL is set: `mdr --help` loads settings, and SQLAlchemy takes 0.2 s.
    from sqlalchemy.engine import make_url  # noqa: PLC0415
    from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError("not a database URL (expected postgresql://user@host:port/db)") from exc
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"must be a postgresql:// URL, got {parsed.get_backend_name()}://")


def load_settings() -> Settings:
    """Read and validate settings; raise ConfigurationError naming the first bad one."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "MDR_" + str(first["loc"][0]).upper() if first["loc"] else "MDR_*"
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigurationError(f"invalid setting {name}: {message}") from None


def log_format_of(settings: Settings) -> str:
    """MDR_LOG_FORMAT when set; otherwise text on a terminal (a person reads it) and JSON
    elsewhere (a collector does), the same for the CLI, the scheduler and the API."""
    if "log_format" in settings.model_fields_set:
        return settings.log_format
    return "text" if sys.stderr.isatty() else "json"


def ensure_data_dir(data_dir: Path) -> None:
    """Make MDR_DATA_DIR if missing and prove a file can be written in it, so that a bad
    one stops the program with one line naming the setting, not a traceback from
    whatever writes there first."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        if data_dir.exists() and not data_dir.is_dir():
            reason = "it is a file, not a folder"
        else:
            reason = exc.strerror or exc.__class__.__name__
        raise ConfigurationError(
            f"invalid setting MDR_DATA_DIR: cannot write to {data_dir} ({reason})"
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def embedded_url_from_parent() -> str | None:
    return os.environ.get(EMBEDDED_URL_ENV) or None
