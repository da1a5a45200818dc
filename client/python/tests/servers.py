"""Starts the real vlmc-server and vlmc-lvlm-ref on free loopback ports for
the tests, and stops them however the test ends.

The binaries and the source tree come from the environment ctest sets
(client/python/CMakeLists.txt): VLMC_SERVER_BINARY, VLMC_LVLM_REF_BINARY,
VLMC_BINARY, VLMC_SOURCE_DIR.
"""
import ctypes
import os
import selectors
import signal
import subprocess
import tempfile
import time
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("VLMC_SOURCE_DIR",
                                 Path(__file__).resolve().parents[3]))
# 512x512 COCO street scene with cars: detections to agree on, small enough
# for the CPU.
STREET_PNG = SOURCE_DIR / "tests/data/semantic/inputs/centernet_000000000071.png"
# 512x512 bowls of food: keeps detection agreement 0.9 at any quality.
FOOD_PNG = SOURCE_DIR / "tests/data/semantic/inputs/centernet_000000000009.png"
# 416x416 people and a horse.
HORSE_PNG = SOURCE_DIR / "tests/data/semantic/inputs/nanodet_000000000049.png"
STARTUP_SECONDS = 60


def have_detector_models():
    """EncodeForTask and vlmc-lvlm-ref need them (scripts/fetch-models.sh),
    where the servers look by default (semantic::DefaultSemanticModelDir)."""
    folder = os.environ.get("VLMC_MODEL_CACHE")
    if not folder:
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(cache) / "vlmc/human-models-3.0.4"
    return (Path(folder) / "centernet.json").is_file()


def _die_with_parent():
    # A test killed by ctest's timeout must not leave its servers running.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Server:
    """A server binary started with `args` (which must make it listen on
    127.0.0.1:0); `address` is HOST:PORT from its "listening on" line."""

    def __init__(self, binary_env, args):
        binary = os.environ[binary_env]
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self._log, preexec_fn=_die_with_parent)
        try:
            self.address = self._wait_for_address(binary)
        except Exception:
            self.stop()
            raise

    def _wait_for_address(self, binary):
        give_up = time.monotonic() + STARTUP_SECONDS
        selector = selectors.DefaultSelector()
        selector.register(self._process.stdout, selectors.EVENT_READ)
        seen = b""
        while b"\n" not in seen:
            left = give_up - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise RuntimeError(f"{binary} printed no listening line in "
                                   f"{STARTUP_SECONDS} s: {self.log()}")
            chunk = os.read(self._process.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError(f"{binary} exited with "
                                   f"{self._process.wait()}: {self.log()}")
            seen += chunk
        line = seen.split(b"\n")[0].decode()
        return line.split(" listening on ")[1].split()[0]

    def log(self):
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def stop(self):
        """SIGTERM (the servers drain and exit 0), SIGKILL after 10 s."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()
        self._log.close()


def start_codec_server(*extra_args):
    """vlmc-server with the default model only (fast start), one worker."""
    return Server("VLMC_SERVER_BINARY", [
        "--listen", "127.0.0.1:0", "--metrics-listen", "off",
        "--extra-models", "none", "--workers", "1", "--torch-threads", "2",
        *extra_args])


def start_lvlm_server():
    return Server("VLMC_LVLM_REF_BINARY",
                  ["--listen", "127.0.0.1:0", "--threads", "2"])
