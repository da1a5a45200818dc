"""The one exception type the client raises for expected failures."""


class VlmcError(Exception):
    """A failed call or a request the client cannot send.

    `code` is the gRPC status code name the server answered with (e.g.
    "INVALID_ARGUMENT", "DATA_LOSS", "UNAVAILABLE"; see proto/vlmc/v1/
    codec.proto), or the one the server would give for the same mistake when
    the client catches it first; None for local failures such as an
    unreadable file. str(error) is one line that says what failed and why.
    """

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


class TargetNotMetError(VlmcError):
    """The server could not reach the rate or task target (require_target).

    `result` holds what it returned instead: the closest stream and its stats.
    """

    def __init__(self, message, result):
        super().__init__(message, code=None)
        self.result = result
