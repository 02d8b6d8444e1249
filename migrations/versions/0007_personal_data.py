"""Personal data sealed at rest in parties and users, with blind indexes.

The columns become text holding `v1:<key id>:<ciphertext>` (domain/sealed_types.py); existing
rows are sealed here with the key ring of SONGDA_DATA_KEYS / SONGDA_INDEX_KEY, like the app's.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import json
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTY_TEXT = {"name": 200, "id_number": 32, "credit_code": 32, "licence_number": 32}
PARTY_JSON = ("phones", "emails", "addresses", "repaired_phones")
# Other sealed columns: a judge's phone, and where the portal sends its one-time codes.
SINGLE_COLUMNS = (("users", "phone", 32), ("portal_publications", "otp_target", 200))
# Already text, only sealed: a clerk's free-text note on a work order.
TEXT_COLUMNS = (("work_orders", "note"),)


def _ring() -> Any:
    from domain.settings import Settings

    return Settings().key_ring


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_blind_index", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_parties_id_blind_index"), ["id_blind_index"])
        for name, length in PARTY_TEXT.items():
            batch_op.alter_column(
                name,
                type_=sa.Text(),
                existing_type=sa.String(length),
                existing_nullable=name != "name",
                postgresql_using=f"{name}::text",
            )
        for name in PARTY_JSON:
            batch_op.alter_column(
                name,
                type_=sa.Text(),
                existing_type=sa.JSON(),
                existing_nullable=False,
                postgresql_using=f"{name}::text",
            )
    for table, column, length in SINGLE_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                type_=sa.Text(),
                existing_type=sa.String(length),
                postgresql_using=f"{column}::text",
            )
    _rewrite_rows(_ring(), sealing=True)


def _transform(ring: Any, sealing: bool) -> Callable[[str | None, bool], str | None]:
    from domain.crypto.keyring import is_sealed

    def transform(value: str | None, is_json: bool) -> str | None:
        if value is None:
            return None
        if sealing:
            if is_sealed(value):
                return value
            clear = json.dumps(json.loads(value), ensure_ascii=False) if is_json else value
            return str(ring.seal(clear))
        return str(ring.open(value)) if is_sealed(value) else value

    return transform


def _rewrite_rows(ring: Any, *, sealing: bool) -> None:
    from domain.address_book.points import identity_key

    bind = op.get_bind()
    transform = _transform(ring, sealing)
    columns = [*PARTY_TEXT, *PARTY_JSON]
    rows = bind.execute(sa.text(f"SELECT id, kind, {', '.join(columns)} FROM parties")).mappings()
    for row in list(rows):
        values = {c: transform(row[c], c in PARTY_JSON) for c in columns}
        clear = SimpleNamespace(kind=row["kind"], **{c: row[c] for c in PARTY_TEXT})
        key = identity_key(clear) if sealing else None  # type: ignore[arg-type]
        values["id_blind_index"] = ring.blind_index(*key) if key else None
        assignments = ", ".join(f"{c} = :{c}" for c in values)
        bind.execute(
            sa.text(f"UPDATE parties SET {assignments} WHERE id = :id"), {**values, "id": row["id"]}
        )
    for table, column in [(t, c) for t, c, _ in SINGLE_COLUMNS] + list(TEXT_COLUMNS):
        query = sa.text(f"SELECT id, {column} AS value FROM {table}")
        for row in list(bind.execute(query).mappings()):
            update = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
            bind.execute(update, {"value": transform(row["value"], False), "id": row["id"]})


def downgrade() -> None:
    """Reverts this revision: opens every sealed value, then restores the column types."""
    _rewrite_rows(_ring(), sealing=False)
    for table, column, length in SINGLE_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                type_=sa.String(length),
                existing_type=sa.Text(),
                postgresql_using=f"{column}::varchar({length})",
            )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        for name in PARTY_JSON:
            batch_op.alter_column(
                name,
                type_=sa.JSON(),
                existing_type=sa.Text(),
                existing_nullable=False,
                postgresql_using=f"{name}::json",
            )
        for name, length in PARTY_TEXT.items():
            batch_op.alter_column(
                name,
                type_=sa.String(length),
                existing_type=sa.Text(),
                existing_nullable=name != "name",
                postgresql_using=f"{name}::varchar({length})",
            )
        batch_op.drop_index(batch_op.f("ix_parties_id_blind_index"))
        batch_op.drop_column("id_blind_index")
