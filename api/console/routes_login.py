"""Login, logout and the console's start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.console.credentials import LoginRefused, check_login
from api.console.session import (
    COOKIE,
    close_session,
    console_user,
    open_session,
    set_cookie,
    source_of,
)
from api.console.templating import home_for, render
from domain.settings import Settings
from domain.tables.core import User

router = APIRouter()
AnyUser = Annotated[User, Depends(console_user())]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, expired: int = 0) -> Response:
    """Shows the login form."""
    notice = "您已长时间未操作，请重新登录" if expired else ""
    return render(request, "login.html", title="登录", notice=notice, error="", name="")


def _login(request: Request, name: str, password: str) -> tuple[User, str]:
    settings: Settings = request.app.state.settings
    with request.app.state.session_factory() as session:
        user = check_login(session=session, name=name, password=password, source=source_of(request))
        token, _csrf = open_session(
            session, user=user, settings=settings, source=source_of(request)
        )
        return user, token


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Checks the credentials, opens a session and goes to the role's first page."""
    if not name or not password:
        return render(
            request,
            "login.html",
            422,
            title="登录",
            notice="",
            name=name,
            error="请输入用户名和密码",
        )
    try:
        user, token = _login(request, name.strip(), password)
    except LoginRefused as refused:
        return render(
            request, "login.html", 401, title="登录", notice="", name=name, error=str(refused)
        )
    response = RedirectResponse(home_for(user.role), status_code=303)
    set_cookie(response, token, request.app.state.settings)
    return response


def _logout(request: Request, token: str) -> None:
    with request.app.state.session_factory() as session:
        close_session(session, token=token, source=source_of(request))


@router.post("/logout")
def logout(request: Request, _user: AnyUser) -> Response:
    """Ends the session and returns to the login page."""
    _logout(request, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: AnyUser) -> Response:
    """Sends the user to its role's first page, or shows an empty start page."""
    target = home_for(user.role)
    if target != "/console/":
        return RedirectResponse(target, status_code=303)
    return render(request, "home.html", title="首页")
