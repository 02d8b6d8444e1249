"""The console's router (prefix /console) and `install_console`, which wires it into the app."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.console import (
    routes_audit,
    routes_clerk,
    routes_dashboard,
    routes_judge,
    routes_judge_remedy,
    routes_login,
    routes_ops,
    routes_supervisor,
)
from api.console.session import COOKIE, CsrfRefused, LoginRequired, RoleRefused
from api.console.templating import STATIC_DIR, render

router = APIRouter(prefix="/console", include_in_schema=False)
# Page routers: one line each; a new console page adds its own here.
router.include_router(routes_login.router)
router.include_router(routes_judge.router)
router.include_router(routes_judge_remedy.router)
router.include_router(routes_clerk.router)
router.include_router(routes_supervisor.router)
router.include_router(routes_audit.router)
router.include_router(routes_dashboard.router)
router.include_router(routes_ops.router)


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = "/console/login?expired=1" if exc.expired else "/console/login"
    response = RedirectResponse(target, status_code=303)
    if exc.expired:
        response.delete_cookie(COOKIE, path="/")
    return response


async def _role_refused(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", 403, title="无权访问", message="您的角色无权访问此页面。")


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    return render(
        request,
        "error.html",
        403,
        title="表单已失效",
        message="表单已失效或来源不明，请返回页面刷新后重新提交。",
    )


def install_console(app: FastAPI) -> None:
    """Adds the console's pages, its static files and its error pages to the app."""
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(RoleRefused, _role_refused)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
