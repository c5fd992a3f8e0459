"""The ``pintu`` command line: serve, demo, extract, verify, kbli, check."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.catalogue import people_text
from common.errors import ConfigurationError, PintuError

if TYPE_CHECKING:
    import workflow
    from workflow.config import Settings


EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_FAILURE = 4

# Each command imports what it needs when it runs (the lines marked PLC0415 below): the
# commands that only read (`kbli`, `extract`, `verify`, `check`) load no more than they use, so
# `pintu kbli CODE` answers in under a second and `pintu --help` at once.


def _settings() -> Settings:
    from pydantic import ValidationError  # noqa: PLC0415 - see above: per command

    from workflow.config import Settings  # noqa: PLC0415 - see above: per command

    try:
        return Settings()
    except ValidationError as exc:  # a setting in the environment is wrong: say which
        raise ConfigurationError(f"the settings are not valid: {exc}") from exc


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the API with uvicorn (the database must be migrated: ``pintu db upgrade``)."""
    import uvicorn  # noqa: PLC0415 - see above: per command

    uvicorn.run(
        "api.app:create_app", factory=True, host=args.host, port=args.port, log_level="info"
    )
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database to the newest schema (and seed the demo office in development)."""
    from workflow.bootstrap import upgrade_database  # noqa: PLC0415 - see above: per command

    created = upgrade_database(_settings())
    print(f"database at the newest migration{f'; {created} demo users created' if created else ''}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Run one sample application through steps 3-8."""
    from workflow.demo import run_demo  # noqa: PLC0415 - see above: per command

    run_demo(_settings(), Path(args.out), echo=print)
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract text and fields from each file."""
    import ocr  # noqa: PLC0415 - see above: per command
    from workflow.bootstrap import ocr_limits  # noqa: PLC0415 - see above: per command

    limits = ocr_limits(_settings())
    results = []
    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
            extraction = ocr.extract(data, limits=limits)
        except OSError as exc:
            results.append(
                {"file": name, "error": {"code": "unreadable_file", "message": str(exc)}}
            )
            status = EXIT_INPUT
            continue
        except PintuError as exc:
            results.append(
                {
                    "file": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "error": {"code": exc.code, "message": people_text(exc)},
                }
            )
            status = EXIT_INPUT
            continue
        results.append({"file": name, **extraction.to_json()})
    if args.json:
        _print_json(results if len(results) != 1 else results[0])
    else:
        for result in results:
            if "error" in result:
                print(f"{result['file']}: ERROR {result['error']['message']}")
                continue
            print(f"{result['file']}: {result['doc_type']}")
            for field, value in result["fields"].items():
                print(f"  {field}: {value['value']} ({value['confidence']:.2f})")
    return status


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the signatures of a PDF (creating and refreshing nothing)."""
    import signer  # noqa: PLC0415 - see above: per command
    from workflow.bootstrap import read_only_trust  # noqa: PLC0415 - see above: per command

    data = Path(args.file).read_bytes()
    report = signer.verify_pdf(data, read_only_trust(_settings())).to_dict()
    if args.json:
        _print_json(report)
    else:
        print(f"{args.file}: {report['status']}")
    return EXIT_OK if report["status"] == "VALID" else EXIT_FAILURE


def cmd_kbli(args: argparse.Namespace) -> int:
    """Look up a KBLI code (writing nothing), or import a new KBLI list."""
    if args.code == "import":
        if not args.file:
            print("usage: pintu kbli import FILE", file=sys.stderr)
            return EXIT_USAGE
        table = _import_table("kbli", Path(args.file))
        codes = len(table.titles)
        if args.json:
            _print_json({"version": table.version, "codes": codes, "skipped": table.skipped})
        else:
            print(f"KBLI list {table.version} in force: {codes} codes, {table.skipped} skipped")
        return EXIT_OK
    import validator  # noqa: PLC0415 - see above: per command
    from workflow.bootstrap import read_only_rules  # noqa: PLC0415 - see above: per command

    answer = validator.kbli_authority(args.code, read_only_rules(_settings()))
    if args.json:
        _print_json(answer.to_json())
    else:
        print(f"{answer.code}: {answer.title or '-'} ({answer.authority}; {answer.basis})")
    return EXIT_OK if answer.exists else EXIT_FAILURE


def _import_table(kind: str, path: Path) -> Any:
    from workflow.bootstrap import build_runtime  # noqa: PLC0415 - see above: per command
    from workflow.checking.rules import import_rule_table  # noqa: PLC0415 - as above

    data = path.read_bytes()
    runtime = build_runtime(_settings())
    try:
        return import_rule_table(runtime, kind, data)
    finally:
        runtime.close()


def cmd_check(args: argparse.Namespace) -> int:
    """Extract every document in a folder and run all rules (writing nothing)."""
    from workflow.bootstrap import (  # noqa: PLC0415 - see above: per command
        ocr_limits,
        read_only_rules,
        read_only_trust,
    )
    from workflow.checking.folder import check_folder  # noqa: PLC0415 - see above: per command

    settings = _settings()
    result = check_folder(
        Path(args.dir),
        rules=read_only_rules(settings),
        trust=read_only_trust(settings),
        limits=ocr_limits(settings),
    )
    if args.json:
        _print_json(result)
    else:
        print(f"verdict: {result['verdict']}")
        for finding in result["findings"]:
            print(f"  [{finding['severity']}] {finding['rule_id']}: {finding['message']}")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """Import a new version of one rule table (validated whole first)."""
    table = _import_table(args.kind, Path(args.file))
    print(f"{args.kind} {table.version} in force")
    return EXIT_OK


def cmd_sign_batch(args: argparse.Namespace) -> int:
    """Sign several approved permits with one passphrase entry, with a progress bar."""
    from workflow.bootstrap import build_runtime  # noqa: PLC0415 - see above: per command

    rt = build_runtime(_settings())
    try:
        return _sign_batch(rt, args)
    finally:
        rt.close()


def _sign_batch(rt: workflow.Runtime, args: argparse.Namespace) -> int:
    import workflow  # noqa: PLC0415 - see above: per command

    actor = workflow.actor_named(rt, args.user)
    view = workflow.create_batch(
        rt, actor, args.application_ids, stop_on_failure=args.stop_on_failure
    )
    print(f"Batch {view.id}: {view.total} permits")
    for item in view.items:
        mark = "akan ditandatangani" if item.status == "pending" else f"dilewati ({item.error})"
        print(f"  {item.permit_number or item.application_id}  {item.nama_usaha or '-'}  {mark}")
    if not args.yes and input("Tandatangani semua? [y/N] ").strip().lower() not in {"y", "ya"}:
        print("dibatalkan")
        return EXIT_OK
    label = {"passphrase": "Passphrase", "pin": "PIN", "totp": "TOTP"}[args.secret]
    secret = (
        sys.stdin.readline().rstrip("\n")
        if args.passphrase_stdin
        else getpass.getpass(f"{label}: ")
    )

    def bar(position: int, total: int, application_id: str, status: str) -> None:
        filled = int(30 * position / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {position}/{total} {status:8}")
        sys.stderr.flush()

    consent = workflow.Consent(secret, args.secret)
    result = workflow.run_batch(rt, actor, view.id, consent, on_progress=bar)
    sys.stderr.write("\n")
    print(f"{result.signed} signed, {result.failed} failed, {result.skipped} skipped")
    return EXIT_OK if result.failed == 0 else EXIT_FAILURE


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="pintu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="the database: `pintu db upgrade` migrates it")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="migrate to the newest schema (run it first)")
    db_upgrade.set_defaults(func=cmd_db_upgrade)

    demo = sub.add_parser("demo", help="run one sample application through steps 3-8")
    demo.add_argument("--out", required=True, help="folder for the permit, BAP and manifest")
    demo.set_defaults(func=cmd_demo)

    extract = sub.add_parser("extract", help="extract text and fields from documents")
    extract.add_argument("files", nargs="+")
    extract.add_argument("--json", action="store_true")
    extract.set_defaults(func=cmd_extract)

    verify = sub.add_parser("verify", help="verify the signatures of a PDF")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=cmd_verify)

    kbli = sub.add_parser("kbli", help="look up a KBLI code, or `kbli import FILE`")
    kbli.add_argument("code", help="a 5-digit KBLI code, or 'import'")
    kbli.add_argument("file", nargs="?", help="with 'import': the CSV file")
    kbli.add_argument("--json", action="store_true")
    kbli.set_defaults(func=cmd_kbli)

    rules = sub.add_parser("rules", help="import a new version of a rule table")
    rules_sub = rules.add_subparsers(dest="action", required=True)
    rules_import = rules_sub.add_parser("import", help="validate a table and put it in force")
    rules_import.add_argument(
        "kind", choices=["kbli", "kewenangan", "persyaratan", "wilayah", "masa_berlaku"]
    )
    rules_import.add_argument("file")
    rules_import.set_defaults(func=cmd_rules)

    batch = sub.add_parser("sign-batch", help="sign approved permits with one passphrase")
    batch.add_argument("application_ids", nargs="+")
    batch.add_argument("--user", default="kadis", help="the Kadis's user name")
    batch.add_argument("--stop-on-failure", action="store_true")
    batch.add_argument("--yes", action="store_true", help="do not ask to confirm the summary")
    batch.add_argument(
        "--secret",
        choices=["passphrase", "pin", "totp"],
        default="passphrase",
        help="what the signing backend asks for: a PKCS#12/BSrE passphrase, a token PIN, a TOTP",
    )
    batch.add_argument("--passphrase-stdin", action="store_true", help="read the secret from stdin")
    batch.set_defaults(func=cmd_sign_batch)

    check = sub.add_parser("check", help="check one applicant's folder of documents")
    check.add_argument("dir")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PintuError as exc:
        print(f"pintu: {people_text(exc)} [{exc.code}]", file=sys.stderr)
        if isinstance(exc, ConfigurationError):  # for the admin who must fix it
            print(f"pintu: {exc.message}", file=sys.stderr)
        return EXIT_INPUT if exc.http_status < 500 else EXIT_FAILURE
    except FileNotFoundError as exc:
        print(f"pintu: file not found: {exc.filename}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
