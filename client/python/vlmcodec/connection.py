"""One gRPC channel with its TLS, bearer token and deadline; gRPC errors
become VlmcError. Shared by VlmcClient and LvlmClient."""
import grpc

from .errors import VlmcError

# Decoded images and tensors are far over gRPC's 4 MiB default receive limit.
_MAX_RECEIVE_BYTES = 256 << 20


def _read_pem(what, path, marker):
    """The file's bytes (None without a path); VlmcError when it cannot be
    read or holds no `marker` (gRPC would fail only at the first call, saying
    less)."""
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            pem = f.read()
    except OSError as e:
        raise VlmcError(f"{what} '{path}': {e.strerror}",
                        "INVALID_ARGUMENT") from None
    if marker not in pem:
        raise VlmcError(f"{what} '{path}' holds no PEM {marker.decode()}",
                        "INVALID_ARGUMENT")
    return pem


def _check_token(token):
    if not token or any(c <= " " or c >= "\x7f" for c in token):
        raise VlmcError("the bearer token must be one word of visible ASCII "
                        "characters", "INVALID_ARGUMENT")


class Connection:
    """A channel to `target` (HOST:PORT) of `service` ("VlmCodec", ...).

    TLS is on when `tls` or any TLS file or `server_name` is given:
    `ca_file` holds the CA certificates the server's certificate must chain
    to (None: gRPC's default roots), `cert_file` and `key_file` this client's
    certificate and key for mutual TLS, `server_name` the name the server's
    certificate carries when it is not the target's host. `token` (None:
    none) is sent on every call as "authorization: Bearer TOKEN". `timeout` (seconds) is the
    deadline of a call. Connects lazily: an unreachable server is an
    UNAVAILABLE VlmcError at the first call.
    """

    def __init__(self, target, service, *, tls=False, ca_file=None,
                 cert_file=None, key_file=None, server_name=None, token=None,
                 timeout=30.0):
        if not target:
            raise VlmcError(f"empty {service} server address",
                            "INVALID_ARGUMENT")
        if bool(cert_file) != bool(key_file):
            raise VlmcError("the TLS client certificate and key go together "
                            "(mutual TLS)", "INVALID_ARGUMENT")
        if not timeout or timeout <= 0:
            raise VlmcError(f"the timeout must be positive, got {timeout}",
                            "INVALID_ARGUMENT")
        self.target = target
        self.timeout = timeout
        self.metadata = ()
        if token is not None:
            _check_token(token)
            self.metadata = (("authorization", f"Bearer {token}"),)
        options = [("grpc.max_receive_message_length", _MAX_RECEIVE_BYTES)]
        if tls or ca_file or cert_file or server_name:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_read_pem("TLS CA file", ca_file,
                                            b"CERTIFICATE"),
                private_key=_read_pem("TLS client key", key_file,
                                      b"PRIVATE KEY"),
                certificate_chain=_read_pem("TLS client certificate",
                                            cert_file, b"CERTIFICATE"))
            if server_name:
                options.append(("grpc.ssl_target_name_override", server_name))
            self.channel = grpc.secure_channel(target, credentials, options)
        else:
            self.channel = grpc.insecure_channel(target, options)

    def error(self, rpc, message, code):
        """VlmcError "RPC at TARGET: CODE: message"."""
        return VlmcError(f"{rpc} at {self.target}: {code}: {message}", code)

    def _rpc_error(self, rpc, error):
        return self.error(rpc, error.details(), error.code().name)

    def unary(self, rpc, method, request, timeout=None):
        """The response of `method` (a stub's unary method) to `request`."""
        try:
            return method(request, timeout=timeout or self.timeout,
                          metadata=self.metadata)
        except grpc.RpcError as e:
            raise self._rpc_error(rpc, e) from None

    def chunked(self, rpc, method, requests):
        """A chunked call (codec.proto, EncodeStream / DecodeStream): sends
        the `requests` iterator and returns (the first response, every
        response's chunk joined in order)."""
        first = None
        parts = []
        try:
            for response in method(requests, timeout=self.timeout,
                                   metadata=self.metadata):
                parts.append(response.chunk)
                if first is None:
                    first = response
        except grpc.RpcError as e:
            raise self._rpc_error(rpc, e) from None
        if first is None:
            raise self.error(rpc, "the server ended the chunked call without "
                             "a response", "INTERNAL")
        first.ClearField("chunk")
        return first, b"".join(parts)

    def close(self):
        self.channel.close()
