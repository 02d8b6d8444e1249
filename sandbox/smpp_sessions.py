"""The SMSC's ESME sessions and the receipts they still owe an answer (store-and-forward)."""

from __future__ import annotations

import asyncio

from sandbox import smpp_pdu as smpp

RETRY_REFUSED_RECEIPT_SECONDS = 1.0


class Session:
    """One ESME connection: its bind, its sequence numbers, the receipts awaiting an answer."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.system_id: str | None = None
        self.mode: str | None = None
        self.awaiting: dict[int, smpp.ShortMessage] = {}
        self._sequence = 0

    @property
    def receives(self) -> bool:
        """Tells whether deliver_sm may go to this session right now."""
        return self.mode in ("receiver", "trx") and not self.writer.is_closing()

    def next_sequence(self) -> int:
        """Returns the SMSC's next sequence number on this session."""
        self._sequence = self._sequence % 0x7FFFFFFF + 1
        return self._sequence

    def send(self, pdu: smpp.Pdu) -> None:
        """Writes a PDU unless the connection is closing."""
        if not self.writer.is_closing():
            self.writer.write(pdu.encode())


class Sessions:
    """Open sessions, and receipts per system id kept until a receiving session answers them."""

    def __init__(self) -> None:
        self._open: set[Session] = set()
        self._pending: dict[str, list[smpp.ShortMessage]] = {}

    def open(self, writer: asyncio.StreamWriter) -> Session:
        """Registers a new connection."""
        session = Session(writer)
        self._open.add(session)
        return session

    def close(self, session: Session) -> None:
        """Forgets a connection; the receipts it never answered go first to the next one."""
        self._open.discard(session)
        if session.system_id is None or not session.awaiting:
            return
        self._pending.setdefault(session.system_id, [])[:0] = list(session.awaiting.values())
        session.awaiting.clear()
        self.deliver(session.system_id)

    def close_all(self) -> None:
        """Closes every connection (the SMSC stops)."""
        for session in list(self._open):
            session.writer.close()

    def queue(self, system_id: str, reports: list[smpp.ShortMessage]) -> None:
        """Stores receipts for system_id and offers them if it is bound."""
        self._pending.setdefault(system_id, []).extend(reports)
        self.deliver(system_id)

    def deliver(self, system_id: str) -> None:
        """Offers the stored receipts to a session bound as receiver; else they wait."""
        session = next((s for s in self._open if s.system_id == system_id and s.receives), None)
        if session is None:
            return
        for report in self._pending.pop(system_id, []):
            sequence = session.next_sequence()
            session.awaiting[sequence] = report
            session.send(smpp.Pdu(smpp.DELIVER_SM, smpp.ESME_ROK, sequence, report.encode()))

    def acknowledged(self, session: Session, pdu: smpp.Pdu) -> None:
        """Takes a deliver_sm_resp: done when OK, else the receipt is offered again shortly."""
        report = session.awaiting.pop(pdu.sequence, None)
        if report is None or pdu.status == smpp.ESME_ROK or session.system_id is None:
            return
        self._pending.setdefault(session.system_id, []).append(report)
        loop = asyncio.get_running_loop()
        loop.call_later(RETRY_REFUSED_RECEIPT_SECONDS, self.deliver, session.system_id)
