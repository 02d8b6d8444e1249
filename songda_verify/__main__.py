"""`python -m songda_verify ARCHIVE.zip [--court-key FINGERPRINT]`: the verdict, exit 0 if sound."""

from __future__ import annotations

import argparse
import sys

from songda_verify.verify import verify_archive


def main(argv: list[str] | None = None) -> int:
    """Verifies one archive, prints the verdict; returns 0 only when every check passed."""
    parser = argparse.ArgumentParser(
        prog="python -m songda_verify",
        description="离线验证送达档案：压缩包、文件清单、法院 SM2 签名与审计链头。",
    )
    parser.add_argument("archive", help="送达档案 zip 文件")
    parser.add_argument(
        "--court-key",
        metavar="FINGERPRINT",
        help="出具法院公布的签章公钥指纹（SM3，64 位十六进制，可含空格或冒号）",
    )
    args = parser.parse_args(argv)
    verdict = verify_archive(args.archive, court_key=args.court_key)
    sys.stdout.write(verdict.text())
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
