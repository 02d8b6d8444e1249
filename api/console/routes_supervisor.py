"""The supervisor's pages: the court's queues by assignee, overdue orders, reassignment."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.access.auth import CLERK
from api.console import clerk_orders
from api.console.clerk_forms import errors_of
from api.console.judge_form import text
from api.console.session import console_user
from api.console.templating import render
from api.errors import ApiError
from api.work_orders.assignment import assign_work_order
from domain.tables.core import User

router = APIRouter(prefix="/supervisor")
Supervisor = Annotated[User, Depends(console_user("supervisor"))]


def _clerks(request: Request, user: User) -> list[str]:
    query = select(User.name).where(User.role == CLERK, User.disabled_at.is_(None))
    if user.court_code is not None:
        query = query.where(User.court_code == user.court_code)
    with request.app.state.session_factory() as session:
        return list(session.scalars(query.order_by(User.name)))


def _by_assignee(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["assignee"] or ""].append(row)
    # The unassigned queue first: it is the one that needs a hand.
    return sorted(groups.items(), key=lambda item: (item[0] != "", item[0]))


async def _page(request: Request, user: User, *, overdue: bool, error: str = "") -> Response:
    rows = await run_in_threadpool(clerk_orders.orders, request, user, overdue=overdue)
    clerks = await run_in_threadpool(_clerks, request, user)
    title = "超期工单" if overdue else "队列总览"
    done = "已改派" if request.query_params.get("done") == "assign" else ""
    return render(
        request, "supervisor_queues.html", 422 if error else 200, title=title,
        groups=_by_assignee(rows), rows=rows, overdue_only=overdue, clerks=clerks, error=error,
        flash=done,
    )  # fmt: skip


@router.get("/queues", response_class=HTMLResponse)
async def queues(request: Request, user: Supervisor) -> Response:
    """Shows the court's open orders grouped by who holds them."""
    return await _page(request, user, overdue=False)


@router.get("/overdue", response_class=HTMLResponse)
async def overdue(request: Request, user: Supervisor) -> Response:
    """Shows the court's open orders past their due time."""
    return await _page(request, user, overdue=True)


def _assign(request: Request, user: User, order_id: str, assignee: str) -> None:
    with request.app.state.session_factory() as session:
        assign_work_order(session=session, user=user, order_id=order_id, assignee=assignee)


@router.post("/orders/{order_id}/assign")
async def assign(request: Request, order_id: str, user: Supervisor) -> Response:
    """Gives an order to a clerk of the court (assign or reassign)."""
    assignee = text(await request.form(), "assignee")
    back = request.headers.get("referer", "")
    target = (
        "/console/supervisor/overdue" if back.endswith("/overdue") else "/console/supervisor/queues"
    )
    try:
        await run_in_threadpool(_assign, request, user, order_id, assignee)
    except ApiError as exc:
        message = next(iter(errors_of(exc).values()))
        return await _page(request, user, overdue=target.endswith("overdue"), error=message)
    return RedirectResponse(f"{target}?done=assign", status_code=303)
