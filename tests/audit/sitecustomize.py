"""Loaded by every Python process started with this folder on PYTHONPATH (the test of
issue 10.8 sets it for `kommunkarta run` and the streamlit process it becomes): an audit
hook that records, in $KK_AUDIT_LOG, every lookup of a host name that is not this
machine's and every connection to an address that is not loopback, and refuses them,
so that nothing leaves the machine even when the test fails."""

import ipaddress
import os
import sys

_LOG = os.environ.get("KK_AUDIT_LOG")
_LOCAL_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a name: looking it up may ask a DNS server elsewhere
    return address.is_loopback or address.is_unspecified


def _record(event: str, detail: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {event} {detail}\n")


def _hook(event, args):
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        host = args[0]
        if not _local(host):
            _record(event, repr(host))
            raise PermissionError(f"audit hook: no lookup of {host!r} from this process")
    elif event in ("socket.connect", "socket.connect_ex", "socket.sendto"):
        address = args[-1]
        if isinstance(address, tuple) and address and not _local(address[0]):
            _record(event, repr(address))
            raise PermissionError(f"audit hook: no connection to {address!r} from this process")


if _LOG:
    sys.addaudithook(_hook)
