"""Keeps parties.id_blind_index in step with the party's identity number.

The index is the same keyed hash the address book files identities under (KeyRing.blind_index
of the normalized ID number, credit code or licence), so a party is found by its number
without the number being stored in clear.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from domain.crypto.sealed_types import installed_ring
from domain.tables.core import Party


def party_blind_index(party: Any) -> str | None:
    """Returns the blind index of a party's identity number, or None when it has none."""
    from domain.address_book.points import identity_key  # the book imports the models

    key = identity_key(party)
    return None if key is None else installed_ring().blind_index(*key)


def _set_index(_mapper: Any, _connection: Any, party: Party) -> None:
    party.id_blind_index = party_blind_index(party)


event.listen(Party, "before_insert", _set_index)
event.listen(Party, "before_update", _set_index)
