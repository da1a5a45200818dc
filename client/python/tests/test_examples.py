"""The two examples, run as a user runs them, against the real vlmc-server
and vlmc-lvlm-ref on 127.0.0.1 (ctest python_examples_test)."""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import servers

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_codec_server = None
_lvlm_server = None
_folder = None


def setUpModule():
    global _codec_server, _lvlm_server, _folder
    _folder = tempfile.TemporaryDirectory()
    unittest.addModuleCleanup(_folder.cleanup)
    images = Path(_folder.name) / "images"
    images.mkdir()
    for png in (servers.FOOD_PNG, servers.STREET_PNG):
        shutil.copy(png, images)
    _codec_server = servers.start_codec_server()
    unittest.addModuleCleanup(_codec_server.stop)
    if servers.have_detector_models():
        _lvlm_server = servers.start_lvlm_server()
        unittest.addModuleCleanup(_lvlm_server.stop)


def run_example(name, *args):
    return subprocess.run([sys.executable, EXAMPLES / name, *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def images_dir():
    return Path(_folder.name) / "images"


def new_folder():
    return Path(tempfile.mkdtemp(dir=_folder.name))


# "NAME: BYTES bytes, BPP bpp, target_met yes|no, passes N, quality Q, ..."
LINE = re.compile(r"^(\S+): (\d+) bytes, ([\d.]+) bpp, target_met (yes|no), "
                  r"passes (\d+), quality ([\d.]+), 1/(\d) resolution"
                  r"(?:, fidelity ([\d.]+))? -> (\S+)$")


class EdgeCameraTest(unittest.TestCase):
    def encode(self, *flags, expect_exit=0):
        out = new_folder()
        run = run_example("edge_camera.py", images_dir(), "-o", out,
                          "--server", _codec_server.address, *flags)
        self.assertEqual(run.returncode, expect_exit, run.stdout + run.stderr)
        lines = [LINE.match(line) for line in run.stdout.splitlines()[:-1]]
        return run, [m.groups() for m in lines if m], out

    def check_streams(self, rows, out):
        self.assertEqual([row[0] for row in rows],
                         ["centernet_000000000009.png", "centernet_000000000071.png"])
        for row in rows:
            stream = Path(row[-1]).read_bytes()
            self.assertEqual(Path(row[-1]).parent, out)
            self.assertEqual(len(stream), int(row[1]))
            self.assertTrue(stream.startswith(b"VLMC"))

    def test_help_documents_the_flags(self):
        run = run_example("edge_camera.py", "--help")
        self.assertEqual(run.returncode, 0, run.stderr)
        for flag in ("--quality", "--bpp", "--max-bytes", "--task", "--fidelity",
                     "--server", "--tls-ca", "--tls-cert", "--tls-key",
                     "--tls-server-name", "--token-file", "--deadline-ms"):
            self.assertIn(flag, run.stdout)

    def test_encodes_a_folder_at_0_1_bpp(self):
        run, rows, out = self.encode("--bpp", "0.1")
        self.check_streams(rows, out)
        for row in rows:
            self.assertEqual(row[3], "yes")
            self.assertLessEqual(float(row[2]), 0.1)
        self.assertIn("2 images", run.stdout.splitlines()[-1])

    def test_encodes_a_folder_within_5000_bytes(self):
        _, rows, out = self.encode("--max-bytes", "5000")
        self.check_streams(rows, out)
        for row in rows:
            self.assertEqual(row[3], "yes")
            self.assertLessEqual(int(row[1]), 5000)

    @unittest.skipUnless(servers.have_detector_models(),
                         "detector models not fetched (scripts/fetch-models.sh)")
    def test_encodes_a_folder_for_detection_agreement_0_85(self):
        # The default model (vlmc-task v4) tops out at agreement 0.906 on the
        # street image (v3: 0.897).
        _, rows, out = self.encode("--task", "detect", "--fidelity", "0.85",
                                   "--max-passes", "5")
        self.check_streams(rows, out)
        for row in rows:
            self.assertEqual(row[3], "yes")
            self.assertGreaterEqual(float(row[7]), 0.85)

    def test_impossible_target_is_one_line_and_exit_1(self):
        run, rows, _ = self.encode("--max-bytes", "10", expect_exit=1)
        self.assertEqual(rows, [])
        self.assertRegex(run.stderr, r"^edge_camera: centernet_000000000009.png: "
                                     r"Encode at \S+: target max_bytes=10 not "
                                     r"met: the closest stream has \d+ bytes")
        self.assertEqual(run.stderr.count("\n"), 1, run.stderr)
        run, rows, out = self.encode("--max-bytes", "10", "--accept-miss")
        self.check_streams(rows, out)
        self.assertEqual([row[3] for row in rows], ["no", "no"])

    def test_server_errors_are_one_line_and_exit_1(self):
        run, _, _ = self.encode("--quality", "7", expect_exit=1)
        self.assertRegex(run.stderr, r"^edge_camera: \S+\.png: Encode at \S+: "
                                     r"INVALID_ARGUMENT: .*quality 7")
        self.assertEqual(run.stderr.count("\n"), 1, run.stderr)
        run = run_example("edge_camera.py", images_dir(), "-o", new_folder(),
                          "--server", "127.0.0.1:1", "--quality", "0.5")
        self.assertEqual(run.returncode, 1)
        self.assertIn("UNAVAILABLE", run.stderr)
        self.assertEqual(run.stderr.count("\n"), 1, run.stderr)

    def test_bad_invocations_exit_2(self):
        for flags in (["--quality", "0.5", "--bpp", "0.1"],
                      ["--bpp", "0.1", "--fidelity", "0.9"],
                      ["--task", "detect", "--resolution", "half"]):
            with self.subTest(flags=flags):
                run = run_example("edge_camera.py", images_dir(), "-o",
                                  new_folder(), *flags)
                self.assertEqual(run.returncode, 2, run.stderr)


@unittest.skipUnless(servers.have_detector_models(),
                     "detector models not fetched (scripts/fetch-models.sh)")
class CloudPipelineTest(unittest.TestCase):
    def setUp(self):
        self.streams = new_folder()
        run = run_example("edge_camera.py", images_dir(), "-o", self.streams,
                          "--server", _codec_server.address, "--quality", "0.6")
        self.assertEqual(run.returncode, 0, run.stderr)

    def forward(self, *flags, expect_exit=0):
        run = run_example("cloud_pipeline.py", self.streams,
                          "--server", _codec_server.address,
                          "--lvlm", _lvlm_server.address, *flags)
        self.assertEqual(run.returncode, expect_exit, run.stdout + run.stderr)
        return run

    def test_help_documents_the_flags(self):
        run = run_example("cloud_pipeline.py", "--help")
        self.assertEqual(run.returncode, 0, run.stderr)
        for flag in ("--server", "--lvlm", "--task", "--option", "--save-png",
                     "--tls-ca", "--token-file", "--lvlm-tls-ca"):
            self.assertIn(flag, run.stdout)

    def test_forwards_every_stream_and_saves_pngs(self):
        pngs = new_folder()
        run = self.forward("--json", "--save-png", pngs)
        answers = [json.loads(line) for line in run.stdout.splitlines()]
        self.assertEqual([a["stream"] for a in answers],
                         ["centernet_000000000009.vlmc",
                          "centernet_000000000071.vlmc"])
        food, street = answers
        self.assertEqual((street["width"], street["height"]), (512, 512))
        self.assertEqual(street["answer"]["model"], "centernet")
        self.assertIn("car", [b["label"] for b in street["answer"]["boxes"]])
        self.assertIn("bowl", [b["label"] for b in food["answer"]["boxes"]])
        for name in ("centernet_000000000009.png", "centernet_000000000071.png"):
            self.assertTrue((pngs / name).read_bytes().startswith(b"\x89PNG"))

    def test_text_output_lists_the_boxes(self):
        run = self.forward("--option", "detector=nanodet")
        self.assertIn("centernet_000000000071.vlmc: ", run.stdout)
        self.assertIn("(nanodet)", run.stdout)
        self.assertRegex(run.stdout, r"\n  car +0\.\d{3}  \[")
        self.assertRegex(run.stdout, r"512x512 image; decode [\d.]+ ms")

    def test_a_bad_stream_is_one_line_and_exit_1(self):
        (self.streams / "0_broken.vlmc").write_bytes(b"VLMC garbage")
        run = self.forward(expect_exit=1)
        self.assertRegex(run.stderr, r"^cloud_pipeline: 0_broken.vlmc: "
                                     r"Decode at \S+: [A-Z_]+: vlmc stream: ")
        self.assertEqual(run.stderr.count("\n"), 1, run.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
