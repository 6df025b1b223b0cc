"""`hadath serve` (the API and the dashboard) and `hadath apikey` (keys for writing through the API)."""

from __future__ import annotations

import argparse
import sys

from hadath.store.cli import _DB_HELP


def register(sub) -> None:
    sv = sub.add_parser("serve", help="serve the REST API and the web dashboard over the event database")
    sv.add_argument("--db", help=_DB_HELP)
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--require-key-for-reads", action="store_true",
                    help="reads need an API key too (default: reads are open, writes need a key)")
    sv.set_defaults(func=cmd_serve)

    ak = sub.add_parser("apikey", help="API keys for writing through the API")
    aks = ak.add_subparsers(dest="apikey_command", required=True)
    mk = aks.add_parser("create", help="make a key; it is printed once, only its sha256 is stored")
    mk.add_argument("--name", default="default", help="who or what the key is for")
    mk.add_argument("--db", help=_DB_HELP)
    mk.set_defaults(func=cmd_apikey_create)
    ls = aks.add_parser("list", help="list the keys (names and dates; the keys themselves are not kept)")
    ls.add_argument("--db", help=_DB_HELP)
    ls.set_defaults(func=cmd_apikey_list)
    rv = aks.add_parser("revoke", help="revoke a key by its number (see `hadath apikey list`)")
    rv.add_argument("id", type=int)
    rv.add_argument("--db", help=_DB_HELP)
    rv.set_defaults(func=cmd_apikey_revoke)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hadath.serve.app import create_app
    from hadath.store.db import describe, resolve_url

    app = create_app(args.db, require_read_key=args.require_key_for_reads or None)
    print(f"hadath: serving {describe(resolve_url(args.db))} on http://{args.host}:{args.port}/ "
          f"(API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_apikey_create(args: argparse.Namespace) -> int:
    from hadath.serve.keys import create_key
    from hadath.store.db import get_engine

    key = create_key(get_engine(args.db), args.name)
    print(key)
    print("hadath: keep this key now — it is not stored and cannot be shown again", file=sys.stderr)
    return 0


def cmd_apikey_list(args: argparse.Namespace) -> int:
    from hadath.serve.keys import list_keys
    from hadath.store.db import get_engine

    for k in list_keys(get_engine(args.db)):
        state = f"revoked {k['revoked_at']:%Y-%m-%d}" if k["revoked_at"] else "active"
        print(f"{k['id']}\t{k['name']}\tcreated {k['created_at']:%Y-%m-%d %H:%M}\t{state}")
    return 0


def cmd_apikey_revoke(args: argparse.Namespace) -> int:
    from hadath.serve.keys import revoke_key
    from hadath.store.db import get_engine

    if not revoke_key(get_engine(args.db), args.id):
        print(f"hadath apikey: no active key number {args.id}", file=sys.stderr)
        return 1
    return 0
