"""The offline verifier: an untouched archive passes; each kind of tampering names its check."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from songda_verify import sigfile, sm2, verify_archive
from songda_verify.verdict import AUDIT_HEAD, COURT_KEY, FILES, SIGNATURE, ZIP, Verdict
from tests.verify import support

ROOT = Path(__file__).resolve().parents[2]
COURT = sm2.generate_private_key()
FOREIGN = sm2.generate_private_key()
COURT_FINGERPRINT = sigfile.fingerprint(sm2.public_key_of(COURT))

Files = dict[str, bytes]


def good() -> Files:
    return support.signed_files(COURT)


def check(files: Files, tmp_path: Path, court_key: str | None = None) -> Verdict:
    path = tmp_path / "（2026）津0103民初1234号.zip"
    path.write_bytes(support.archive(files))
    return verify_archive(path, court_key=court_key)


def _sig(files: Files) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(files[sigfile.SIGNATURE])
    return loaded


def change_file(files: Files) -> None:
    files["proofs/P1.pdf"] += b" served on 2026-11-03"


def add_file(files: Files) -> None:
    files["evidence/P1/extra.png"] = b"a photo slipped in afterwards"


def remove_file(files: Files) -> None:
    del files["evidence/P1/photo.png"]


def edit_manifest(files: Files) -> None:
    # A consistent forgery: the file is changed and its line in the manifest updated to match.
    change_file(files)
    listed = json.loads(files[sigfile.MANIFEST])
    for entry in listed["files"]:
        if entry["path"] == "proofs/P1.pdf":
            entry["sha256"] = hashlib.sha256(files["proofs/P1.pdf"]).hexdigest()
            entry["bytes"] = len(files["proofs/P1.pdf"])
    files[sigfile.MANIFEST] = support.as_json(listed)


def alter_signature(files: Files) -> None:
    document = _sig(files)
    parsed = sigfile.parse(files[sigfile.SIGNATURE])
    r, s = parsed.signature
    document["signature"] = base64.b64encode(sm2.der_signature(r, s ^ 1)).decode()
    files[sigfile.SIGNATURE] = support.as_json(document)


def remove_signature(files: Files) -> None:
    del files[sigfile.SIGNATURE]


def edit_chain_head(files: Files) -> None:
    listed = json.loads(files[sigfile.MANIFEST])
    listed["audit_head"]["seq"] = 40
    files[sigfile.MANIFEST] = support.as_json(listed)


def edit_chain_head_everywhere(files: Files) -> None:
    edit_chain_head(files)
    document = _sig(files)
    document["audit_head"] = json.loads(files[sigfile.MANIFEST])["audit_head"]
    document["manifest_sha256"] = hashlib.sha256(files[sigfile.MANIFEST]).hexdigest()
    files[sigfile.SIGNATURE] = support.as_json(document)


def swap_public_key(files: Files) -> None:
    document = _sig(files)
    document["public_key"] = sm2.public_key_of(FOREIGN).hex()
    files[sigfile.SIGNATURE] = support.as_json(document)


def swap_public_key_and_fingerprint(files: Files) -> None:
    swap_public_key(files)
    document = _sig(files)
    document["fingerprint"] = sigfile.fingerprint(sm2.public_key_of(FOREIGN))
    files[sigfile.SIGNATURE] = support.as_json(document)


TAMPERS: list[tuple[Callable[[Files], None], set[str], str]] = [
    (change_file, {FILES}, "文件内容与清单不符（SHA-256 或大小不同，已被改动）：proofs/P1.pdf"),
    (add_file, {FILES}, "多出清单未列的文件：evidence/P1/extra.png"),
    (remove_file, {FILES}, "缺少清单所列的文件：evidence/P1/photo.png"),
    (edit_manifest, {SIGNATURE, AUDIT_HEAD}, "签名与 manifest.json 不符：清单在签名后被改动"),
    (alter_signature, {SIGNATURE, AUDIT_HEAD}, "签名验证不通过：签名值或公钥被替换"),
    (remove_signature, {SIGNATURE, AUDIT_HEAD}, "压缩包内没有签名文件 manifest.sig"),
    (edit_chain_head, {SIGNATURE, AUDIT_HEAD}, "审计链头与签名时记录的不一致"),
    (edit_chain_head_everywhere, {SIGNATURE, AUDIT_HEAD}, "签名无效，链头不受签名保护"),
    (swap_public_key, {SIGNATURE, AUDIT_HEAD, COURT_KEY}, "公钥与其记录的指纹不符：公钥被替换"),
    (swap_public_key_and_fingerprint, {SIGNATURE, AUDIT_HEAD, COURT_KEY}, "与所给法院公钥指纹不符"),
]


def test_an_untouched_archive_passes(tmp_path: Path) -> None:
    verdict = check(good(), tmp_path)
    assert verdict.ok, verdict.text()
    assert verdict.checks[COURT_KEY].status == "skip"
    assert sigfile.grouped(COURT_FINGERPRINT) in verdict.text()
    assert "验证通过" in verdict.text() and "天津市河西区人民法院" in verdict.text()
    with_key = check(good(), tmp_path, court_key=sigfile.grouped(COURT_FINGERPRINT))
    assert with_key.ok and with_key.checks[COURT_KEY].status == "pass"
    assert with_key.conclusion().startswith("验证通过：档案完整未改动，由所核对公钥")


@pytest.mark.parametrize(
    ("tamper", "failed", "finding"), TAMPERS, ids=[t[0].__name__ for t in TAMPERS]
)
def test_tampering_is_refused_naming_the_check(
    tmp_path: Path, tamper: Callable[[Files], None], failed: set[str], finding: str
) -> None:
    files = good()
    tamper(files)
    verdict = check(files, tmp_path, court_key=COURT_FINGERPRINT)
    assert not verdict.ok
    assert set(verdict.failed()) == failed, verdict.text()
    assert finding in verdict.text()
    assert "验证失败" in verdict.conclusion()


def test_an_archive_signed_with_another_key_fails_only_the_court_key(tmp_path: Path) -> None:
    forged = support.signed_files(FOREIGN)
    verdict = check(forged, tmp_path, court_key=COURT_FINGERPRINT)
    assert verdict.failed() == [COURT_KEY], verdict.text()
    assert "签章不属于该法院" in verdict.text()


def test_a_damaged_zip_is_refused(tmp_path: Path) -> None:
    content = bytearray(support.archive(good()))
    start = content.index(b"PK\x03\x04", 1)  # the second entry's data, just past its header
    content[start + 60] ^= 0xFF
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(content))
    assert ZIP in verify_archive(path).failed()
    path.write_bytes(b"not a zip at all")
    verdict = verify_archive(path)
    assert verdict.failed() == [ZIP, "manifest", FILES, SIGNATURE, AUDIT_HEAD]


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_duplicate_entry_is_refused(tmp_path: Path) -> None:
    files = good()
    entries = sorted(files.items()) + [("proofs/P1.pdf", b"a second proof under the same name")]
    path = tmp_path / "twice.zip"
    path.write_bytes(support.zip_of(entries))
    verdict = verify_archive(path)
    assert ZIP in verdict.failed()
    assert "重名条目" in verdict.text()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "songda_verify", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_python_m_songda_verify_exit_codes(tmp_path: Path) -> None:
    good_path, bad_path = tmp_path / "good.zip", tmp_path / "bad.zip"
    good_path.write_bytes(support.archive(good()))
    files = good()
    change_file(files)
    bad_path.write_bytes(support.archive(files))
    passed = run(str(good_path), "--court-key", COURT_FINGERPRINT)
    assert passed.returncode == 0 and "验证通过" in passed.stdout, passed.stdout + passed.stderr
    failed = run(str(bad_path))
    assert failed.returncode == 1 and "验证失败：文件核对未通过" in failed.stdout


def test_the_verifier_imports_nothing_else_of_songda() -> None:
    code = (
        "import sys, songda_verify.__main__; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'domain', 'api', 'activities', 'workflows', 'sandbox', 'worker', 'launcher'}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]", loaded.stderr
