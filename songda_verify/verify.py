"""Verifies a songda archive offline: the zip, every file, the signature, the audit chain head.

Nothing here reaches a server or a database: the archive carries its manifest, the court's
signature over it and the public key; the clerk brings, at best, the court's key fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from songda_verify import sigfile, sm2
from songda_verify.verdict import (
    AUDIT_HEAD,
    COURT_KEY,
    FAIL,
    FILES,
    MANIFEST,
    PASS,
    SIGNATURE,
    SKIP,
    ZIP,
    Verdict,
)

MAX_MANIFEST_BYTES = 32 * 1024 * 1024
CHUNK = 1024 * 1024
HEX64 = re.compile(r"[0-9a-f]{64}")
OWN_FILES = {sigfile.MANIFEST, sigfile.SIGNATURE}
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _check_zip(archive: zipfile.ZipFile, verdict: Verdict) -> bool:
    check = verdict.checks[ZIP]
    names = archive.namelist()
    duplicates = sorted({name for name in names if names.count(name) > 1})
    unsafe = [n for n in names if n.startswith("/") or "\\" in n or ".." in n.split("/")]
    if duplicates:
        check.failed(f"压缩包内有重名条目（不同软件可能读出不同内容）：{'、'.join(duplicates)}")
    if unsafe:
        check.failed(f"压缩包内有不安全的路径：{'、'.join(unsafe)}")
    try:
        broken = archive.testzip()
        if broken is not None:
            check.failed(f"条目 {broken} 的数据损坏，CRC 校验失败")
    except ZIP_ERRORS as exc:
        check.failed(f"压缩数据损坏，无法解压（{type(exc).__name__}）")
    if check.status != FAIL:
        check.passed(f"共 {len(names)} 个条目，压缩数据与 CRC 校验全部正确")
    return check.status == PASS


def _manifest_entries(manifest: Any) -> dict[str, tuple[str, int]]:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ValueError("清单没有 files 列表")
    entries: dict[str, tuple[str, int]] = {}
    for item in manifest["files"]:
        path, digest, size = (item.get(k) for k in ("path", "sha256", "bytes"))
        if not (isinstance(path, str) and isinstance(digest, str) and HEX64.fullmatch(digest)):
            raise ValueError(f"清单条目格式错误：{item!r}"[:200])
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError(f"清单条目 {path} 的大小格式错误")
        if path in entries or path in OWN_FILES:
            raise ValueError(f"清单重复列出或列出了自身：{path}")
        entries[path] = (digest, size)
    return entries


def _read_manifest(
    archive: zipfile.ZipFile, verdict: Verdict
) -> tuple[bytes, dict[str, Any], dict[str, tuple[str, int]]] | None:
    check = verdict.checks[MANIFEST]
    try:
        info = archive.getinfo(sigfile.MANIFEST)
    except KeyError:
        check.failed("压缩包内没有 manifest.json")
        return None
    if info.file_size > MAX_MANIFEST_BYTES:
        check.failed("manifest.json 大得不合常理")
        return None
    try:
        raw = archive.read(info)
    except ZIP_ERRORS:
        check.failed("manifest.json 无法读出（数据损坏）")
        return None
    try:
        manifest = json.loads(raw)
        entries = _manifest_entries(manifest)
    except (UnicodeDecodeError, json.JSONDecodeError):
        check.failed("manifest.json 不是有效的 JSON")
        return None
    except (ValueError, AttributeError) as exc:
        check.failed(str(exc) if isinstance(exc, ValueError) else "清单条目不是 JSON 对象")
        return None
    check.passed(f"列出 {len(entries)} 个文件，SHA-256 {hashlib.sha256(raw).hexdigest()}")
    return raw, manifest, entries


def _digest(archive: zipfile.ZipFile, name: str, limit: int) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with archive.open(name) as handle:
        while size <= limit and (chunk := handle.read(CHUNK)):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _check_files(
    archive: zipfile.ZipFile, entries: dict[str, tuple[str, int]], verdict: Verdict
) -> None:
    check = verdict.checks[FILES]
    present = set(archive.namelist()) - OWN_FILES
    for path in sorted(set(entries) - present):
        check.failed(f"缺少清单所列的文件：{path}")
    for path in sorted(present - set(entries)):
        check.failed(f"多出清单未列的文件：{path}")
    for path in sorted(set(entries) & present):
        digest, size = entries[path]
        try:
            actual, actual_size = _digest(archive, path, size)
        except ZIP_ERRORS:
            check.failed(f"文件无法读出：{path}")
            continue
        if actual != digest or actual_size != size:
            check.failed(f"文件内容与清单不符（SHA-256 或大小不同，已被改动）：{path}")
    if check.status != FAIL:
        check.passed(f"清单所列 {len(entries)} 个文件齐全，SHA-256 与大小逐一相符，无多余文件")


def _check_signature(
    archive: zipfile.ZipFile, raw: bytes, manifest: dict[str, Any], verdict: Verdict
) -> sigfile.SigFile | None:
    check = verdict.checks[SIGNATURE]
    if sigfile.SIGNATURE not in archive.namelist():
        check.failed("压缩包内没有签名文件 manifest.sig")
        return None
    try:
        seal = sigfile.parse(archive.read(sigfile.SIGNATURE))
    except sigfile.SigFileError as exc:
        check.failed(str(exc))
        return None
    actual_fingerprint = sigfile.fingerprint(seal.public_key)
    if seal.fingerprint != actual_fingerprint:
        check.failed("签名文件中的公钥与其记录的指纹不符：公钥被替换")
    court = manifest.get("court_code")
    if court is not None and court != seal.court_code:
        check.failed(f"签名声明的法院（{seal.court_code}）与清单中的法院（{court}）不符")
    if not sm2.verify(seal.public_key, raw, seal.signature, seal.user_id):
        if seal.manifest_sha256 != hashlib.sha256(raw).hexdigest():
            check.failed("签名与 manifest.json 不符：清单在签名后被改动")
        else:
            check.failed("签名验证不通过：签名值或公钥被替换")
    if check.status != FAIL:
        check.passed(
            f"SM2（SM3）签名有效，签名密钥 {seal.key_id}（{seal.court_code}），"
            f"签名者标识 {seal.user_id.decode(errors='replace')}"
        )
    return seal


def _check_audit_head(
    manifest: dict[str, Any], seal: sigfile.SigFile | None, verdict: Verdict
) -> None:
    check = verdict.checks[AUDIT_HEAD]
    head = manifest.get("audit_head")
    seq = head.get("seq") if isinstance(head, dict) else None
    digest = head.get("hash") if isinstance(head, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        check.failed("清单未记录审计链头，或其序号格式错误")
        return
    if not isinstance(digest, str) or not HEX64.fullmatch(digest):
        check.failed("审计链头的哈希不是 64 位小写十六进制 SHA-256")
        return
    if seal is not None and seal.audit_head != head:
        check.failed("审计链头与签名时记录的不一致：链头在签名后被改动")
    if verdict.checks[SIGNATURE].status != PASS:
        check.failed("签名无效，链头不受签名保护，不可采信")
    if check.status != FAIL:
        check.passed(f"归档时审计链第 {seq} 条，哈希 {digest}；该链头在签名覆盖范围内")


def _check_court_key(seal: sigfile.SigFile | None, court_key: str | None, verdict: Verdict) -> None:
    check = verdict.checks[COURT_KEY]
    if seal is None:
        check.skipped("没有可用的签名公钥")
        return
    actual = sigfile.fingerprint(seal.public_key)
    if court_key is None:
        check.skipped(f"未提供 --court-key；签名公钥指纹为 {sigfile.grouped(actual)}")
        check.lines.append("请向出具法院核对此指纹，或以 --court-key 指纹 重新验证")
    elif sigfile.normalize_fingerprint(court_key) == actual:
        check.passed(f"签名公钥指纹与所给法院公钥指纹一致：{sigfile.grouped(actual)}")
    else:
        check.failed(
            f"签名公钥指纹 {sigfile.grouped(actual)} 与所给法院公钥指纹不符：签章不属于该法院"
        )


def _about(manifest: dict[str, Any], verdict: Verdict) -> None:
    labels = {"court_name": "出具法院", "court_code": "法院代码", "case_number": "案号"}
    parts = [f"{label}：{manifest[k]}" for k, label in labels.items() if manifest.get(k)]
    if parts:
        verdict.about.append("；".join(parts))


def verify_archive(path: str | Path, court_key: str | None = None) -> Verdict:
    """Runs every check on the archive at path; `court_key` is the expected key fingerprint."""
    verdict = Verdict(archive=Path(path).name)
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        verdict.checks[ZIP].failed(f"无法作为 zip 压缩包打开（{type(exc).__name__}）")
    else:
        with archive:
            _run(archive, court_key, verdict)
    for check in verdict.checks.values():
        if check.status == SKIP and not check.lines:
            check.skipped("前面的检查未通过，无法进行")
    return verdict


def _run(archive: zipfile.ZipFile, court_key: str | None, verdict: Verdict) -> None:
    _check_zip(archive, verdict)
    read = _read_manifest(archive, verdict)
    if read is None:
        return
    raw, manifest, entries = read
    _about(manifest, verdict)
    _check_files(archive, entries, verdict)
    seal = _check_signature(archive, raw, manifest, verdict)
    _check_audit_head(manifest, seal, verdict)
    _check_court_key(seal, court_key, verdict)
