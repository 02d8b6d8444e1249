"""Data repair: asks the telecom operators for the numbers registered to a party."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.provider import ProviderClient
from domain.activity_io import RepairInput, RepairResult, SendInput
from domain.identity import InvalidIdentity, normalize_mobile
from domain.ladder import Contact
from domain.masking import mask_phone
from domain.models import ServiceTask


class RepairActivities:
    """Queries the operator; found numbers are stored on the party with source `repaired`."""

    def __init__(self, operator: ProviderClient, session_factory: sessionmaker[Session]) -> None:
        self.operator = operator
        self.session_factory = session_factory

    @activity.defn
    def repair_numbers(self, arg: RepairInput) -> RepairResult:
        """Looks up the party's real-name numbers and returns them as masked contacts."""
        with self.session_factory() as session:
            party = session.get_one(ServiceTask, arg.task_id).party
            name, id_number = party.name, party.id_number or ""
        self.operator.begin(
            SendInput(arg.task_id, "repair", Contact("repair", 0, "operators"), arg.reference, 0.0),
            "repair",
        )
        body = {"name": name, "id_number": id_number, "reference": arg.reference}
        numbers = self.operator.post_for_list("/operators/lookup", body, arg.reference, "numbers")
        with self.session_factory() as session:
            party = session.get_one(ServiceTask, arg.task_id).party
            known = list(party.repaired_phones)
            for number in numbers:
                try:
                    normalized = normalize_mobile(number)
                except InvalidIdentity:
                    continue
                if normalized not in known and normalized not in party.phones:
                    known.append(normalized)
            party.repaired_phones = known
            session.commit()
        return RepairResult(
            [Contact("phone", i, mask_phone(p), False, "repaired") for i, p in enumerate(known)]
        )
