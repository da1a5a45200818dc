"""Command-line flags for connecting to the servers, shared by the examples
(and by any script that wants the same flags as the `vlmc` CLI)."""
import os

from .errors import VlmcError


def add_connection_flags(parser, prefix="", what="the VlmCodec server (--server)"):
    """--{prefix}tls, --{prefix}tls-ca, --{prefix}tls-cert, --{prefix}tls-key,
    --{prefix}tls-server-name and --{prefix}token-file for `what`."""
    group = parser.add_argument_group(f"TLS and token for {what}")
    group.add_argument(f"--{prefix}tls", action="store_true",
                       help="connect with TLS (implied by the other TLS flags); "
                            "without a CA file the server's certificate must "
                            "chain to gRPC's default roots")
    group.add_argument(f"--{prefix}tls-ca", metavar="FILE",
                       help="PEM CA certificates the server's certificate must "
                            "chain to")
    group.add_argument(f"--{prefix}tls-cert", metavar="FILE",
                       help="PEM client certificate for mutual TLS (with "
                            f"--{prefix}tls-key)")
    group.add_argument(f"--{prefix}tls-key", metavar="FILE",
                       help=f"PEM private key of --{prefix}tls-cert")
    group.add_argument(f"--{prefix}tls-server-name", metavar="NAME",
                       help="name the server's certificate carries when it is "
                            "not the address's host (e.g. through a "
                            "port-forward)")
    token_help = ("file holding the bearer token sent as 'authorization: "
                  "Bearer TOKEN'")
    if not prefix:
        token_help += " (default: the VLMC_TOKEN environment variable, if set)"
    group.add_argument(f"--{prefix}token-file", metavar="FILE", help=token_help)


def connection_options(args, prefix="", timeout=30.0):
    """VlmcClient / LvlmClient keyword options from the parsed flags."""
    def flag(name):
        return getattr(args, (prefix + name).replace("-", "_"))

    token = None
    if flag("token-file"):
        try:
            with open(flag("token-file")) as f:
                token = f.read().strip()
        except OSError as e:
            raise VlmcError(f"--{prefix}token-file '{flag('token-file')}': "
                            f"{e.strerror}") from None
    elif not prefix:
        token = os.environ.get("VLMC_TOKEN") or None  # empty counts as unset
    return dict(tls=flag("tls"), ca_file=flag("tls-ca"),
                cert_file=flag("tls-cert"), key_file=flag("tls-key"),
                server_name=flag("tls-server-name"), token=token,
                timeout=timeout)
