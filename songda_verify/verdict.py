"""The verifier's findings and the verdict in Chinese, for a clerk of any court to read."""

from __future__ import annotations

from dataclasses import dataclass, field

PASS = "pass"
FAIL = "fail"
SKIP = "skip"
MARKS = {PASS: "[通过]", FAIL: "[失败]", SKIP: "[未核对]"}

# The checks, in the order they run and print.
ZIP = "zip"
MANIFEST = "manifest"
FILES = "files"
SIGNATURE = "signature"
AUDIT_HEAD = "audit_head"
COURT_KEY = "court_key"
TITLES = {
    ZIP: "压缩包完整性",
    MANIFEST: "文件清单 manifest.json",
    FILES: "文件核对",
    SIGNATURE: "法院 SM2 电子签名",
    AUDIT_HEAD: "审计链头",
    COURT_KEY: "法院公钥指纹",
}


@dataclass
class Check:
    """One check: its key (ZIP, FILES, ...), pass, fail or skip, and what it found."""

    key: str
    status: str = SKIP
    lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """Returns the check's name in Chinese."""
        return TITLES[self.key]

    def passed(self, line: str) -> None:
        """Marks the check passed, with what was found."""
        self.status = PASS
        self.lines.append(line)

    def failed(self, line: str) -> None:
        """Marks the check failed, with why; a check that failed once stays failed."""
        self.status = FAIL
        self.lines.append(line)

    def skipped(self, line: str) -> None:
        """Marks the check not run, with why."""
        self.status = SKIP
        self.lines.append(line)


@dataclass
class Verdict:
    """Every check of one archive, and what the manifest says the archive is."""

    archive: str
    checks: dict[str, Check] = field(default_factory=lambda: {k: Check(k) for k in TITLES})
    about: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tells whether the archive passed: no check failed, and all but the key check ran."""
        return all(
            check.status == PASS or (check.key == COURT_KEY and check.status == SKIP)
            for check in self.checks.values()
        )

    def failed(self) -> list[str]:
        """Returns the keys of the checks that failed or could not run."""
        return [
            key
            for key, check in self.checks.items()
            if check.status == FAIL or (check.status == SKIP and key != COURT_KEY)
        ]

    def text(self) -> str:
        """Returns the report: the archive, each check with its findings, then the verdict."""
        lines = [f"送达档案验证：{self.archive}", *self.about]
        for check in self.checks.values():
            lines.append(f"{MARKS[check.status]} {check.title}")
            lines.extend(f"    {line}" for line in check.lines)
        lines.append(self.conclusion())
        return "\n".join(lines) + "\n"

    def conclusion(self) -> str:
        """Returns the one-line verdict."""
        if not self.ok:
            names = "、".join(TITLES[key] for key in self.failed())
            return f"验证失败：{names}未通过。本档案不能作为未经改动的送达证明使用。"
        if self.checks[COURT_KEY].status == PASS:
            return "验证通过：档案完整未改动，由所核对公钥对应的法院签章，审计链头已受签名保护。"
        return (
            "验证通过：档案完整未改动，签名有效，审计链头已受签名保护；"
            "但未核对签名公钥是否属于出具法院，请按上方指纹向该院核实（--court-key）。"
        )
