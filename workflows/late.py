"""Late service: receipts of rungs already left behind still serve, once, the earliest first."""

from __future__ import annotations

from domain.pure.ladder import Step
from domain.pure.served_on import Served, late_served
from workflows.base import RungBase
from workflows.state import RungResult

# From this patch on the workflow listens to every earlier rung for the life of the task: a
# portal confirmation or a signature that comes after its rung gave up ends the ladder, stops
# what is running (work order withdrawn, notice withdrawn) and is the served-on date.
LATE_SERVICE_PATCH = "late-service-counts"


class LateService(RungBase):
    """Remembers the attempts of rungs left behind and tells when one of them served."""

    late_counts: bool = False  # set once from the patch at the start of the run
    earlier_electronic: dict[str, bool]  # reference -> consent covers its address
    earlier_letters: dict[str, bool]  # reference -> its address is confirmed

    def _late(self) -> Served | None:
        """Returns the earliest service by an earlier rung's attempt, or None."""
        if not self.late_counts or not (self.earlier_electronic or self.earlier_letters):
            return None
        return late_served(
            self.plan.clock,
            self.heard.events,
            self.earlier_electronic,
            self.earlier_letters,
            mediation=self.plan.mediation,
        )

    def _hear_late(self) -> None:
        """Ends the current wait when a receipt of an earlier rung serves (signal handler)."""
        if self.heard.interrupt == "" and self._late() is not None:
            self.heard.interrupt = "late"

    async def _first_service(self, result: RungResult) -> RungResult:
        """Returns the earliest service, the rung's own or a late one; withdraws a notice."""
        late = self._late()
        if late is None or (result.served_on and result.served_on <= late.on.isoformat()):
            return result
        if self.step == Step.PUBLIC_NOTICE:
            await self._note("notice_withdrawn", {"reason": "served late by an earlier rung"})
        self.heard.interrupt = ""
        return RungResult(
            served_on=late.on.isoformat(),
            method=late.method,
            detail=f"served late, by an earlier rung ({late.rule})",
            rule=late.rule,
        )
