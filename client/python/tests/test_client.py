"""vlmcodec.VlmcClient and LvlmClient against the real vlmc-server and
vlmc-lvlm-ref on 127.0.0.1 (ctest python_client_test)."""
import hashlib
import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np

import servers
from certs import make_certs
from vlmcodec import (LvlmClient, TargetNotMetError, TaskEncodeResult,
                      VlmcClient, VlmcError)

DEADLINE_S = 60
_codec_server = None
_lvlm_server = None


def setUpModule():
    global _codec_server, _lvlm_server
    _codec_server = servers.start_codec_server()
    unittest.addModuleCleanup(_codec_server.stop)
    if servers.have_detector_models():
        _lvlm_server = servers.start_lvlm_server()
        unittest.addModuleCleanup(_lvlm_server.stop)


def needs_detector_models(test):
    return unittest.skipUnless(servers.have_detector_models(),
                               "detector models not fetched "
                               "(scripts/fetch-models.sh)")(test)


class CodecTest(unittest.TestCase):
    def setUp(self):
        self.client = VlmcClient(_codec_server.address, timeout=DEADLINE_S)
        self.addCleanup(self.client.close)

    def test_get_info_names_the_default_model(self):
        info = self.client.get_info()
        defaults = [m.model_id for m in info.models if m.is_default]
        self.assertEqual(defaults, ["vlmc-task"])
        self.assertGreater(info.max_image_pixels, 0)

    def test_encode_at_quality_reports_its_stats(self):
        result = self.client.encode(servers.STREET_PNG, quality=0.5)
        self.assertTrue(result.stream.startswith(b"VLMC"))
        self.assertEqual((result.width, result.height), (512, 512))
        self.assertEqual(result.stream_bytes, len(result.stream))
        self.assertAlmostEqual(result.bpp, len(result.stream) * 8 / 512**2)
        self.assertAlmostEqual(result.quality, 0.5, places=4)
        self.assertEqual((result.target_met, result.passes, result.downscale),
                         (True, 1, 1))
        self.assertEqual(result.model_id, "vlmc-task")

    def test_encode_at_0_03_bpp_codes_smaller_when_needed(self):
        result = self.client.encode(servers.STREET_PNG, target_bpp=0.03)
        self.assertTrue(result.target_met)
        self.assertLessEqual(result.bpp, 0.03)
        self.assertGreater(result.downscale, 1)  # quality 0 at full size: 0.049
        self.assertGreater(result.passes, 1)
        # The search keeps the largest quality that fits.
        self.assertGreater(result.quality, 0)

    def test_encode_at_0_1_bpp(self):
        result = self.client.encode(servers.STREET_PNG, target_bpp=0.1)
        self.assertTrue(result.target_met)
        self.assertLessEqual(result.bpp, 0.1)

    def test_full_resolution_cannot_reach_0_03_bpp(self):
        result = self.client.encode(servers.STREET_PNG, target_bpp=0.03,
                                    resolution="full")
        self.assertFalse(result.target_met)
        self.assertEqual((result.quality, result.downscale), (0, 1))
        self.assertGreater(result.bpp, 0.03)

    def test_encode_within_5000_bytes(self):
        result = self.client.encode(servers.STREET_PNG, max_bytes=5000)
        self.assertTrue(result.target_met)
        self.assertLessEqual(len(result.stream), 5000)
        self.assertEqual(result.stream_bytes, len(result.stream))

    def test_impossible_byte_target_is_reported_or_raised(self):
        closest = self.client.encode(servers.STREET_PNG, max_bytes=10)
        self.assertFalse(closest.target_met)
        self.assertGreater(closest.stream_bytes, 10)
        with self.assertRaises(TargetNotMetError) as caught:
            self.client.encode(servers.STREET_PNG, max_bytes=10,
                               require_target=True)
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        self.assertRegex(message, r"^Encode at 127\.0\.0\.1:\d+: target "
                                  r"max_bytes=10 not met: the closest stream "
                                  r"has \d+ bytes")
        self.assertEqual(caught.exception.result.stream, closest.stream)
        self.assertIsInstance(caught.exception, VlmcError)

    def test_decode_matches_the_cli_decoder(self):
        stream = self.client.encode(servers.HORSE_PNG, quality=0.3).stream
        pixels = self.client.decode(stream)
        self.assertEqual((pixels.shape, pixels.dtype), ((416, 416, 3), np.uint8))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "horse.vlmc"
            path.write_bytes(stream)
            cli = subprocess.run(
                [os.environ["VLMC_BINARY"], "decode", path, "-o",
                 Path(folder) / "horse.png", "--threads", "2", "--sha256"],
                capture_output=True, text=True, timeout=DEADLINE_S)
        self.assertEqual(cli.returncode, 0, cli.stdout + cli.stderr)
        expected = re.search(r"pixels sha256: ([0-9a-f]{64})", cli.stdout + cli.stderr)
        self.assertIsNotNone(expected, cli.stdout + cli.stderr)
        self.assertEqual(hashlib.sha256(pixels.tobytes()).hexdigest(),
                         expected.group(1))

    def test_array_and_png_inputs_give_the_same_stream(self):
        stream = self.client.encode(servers.HORSE_PNG, quality=0.8).stream
        pixels = self.client.decode(stream)
        png = self.client.decode_png(stream)
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))
        from_array = self.client.encode(pixels, quality=0.4)
        from_png = self.client.encode(png, quality=0.4)
        self.assertEqual(from_array.stream, from_png.stream)
        crop = pixels[100:164, 40:136]  # not contiguous: the client copies
        self.assertEqual(self.client.encode(crop, quality=0.4).width, 96)

    def test_chunked_calls_give_what_unary_calls_give(self):
        small = VlmcClient(_codec_server.address, timeout=DEADLINE_S,
                           max_unary_bytes=64 << 10, stream_chunk_bytes=16 << 10)
        self.addCleanup(small.close)
        unary = self.client.encode(servers.HORSE_PNG, quality=0.6)
        chunked = small.encode(servers.HORSE_PNG, quality=0.6)  # file: 270 KB
        self.assertEqual(chunked.stream, unary.stream)
        self.assertEqual(chunked.bpp, unary.bpp)
        raw = small.encode(self.client.decode(unary.stream), quality=0.6)
        self.assertEqual(raw.width, 416)
        np.testing.assert_array_equal(small.decode(unary.stream),  # 519 KB
                                      self.client.decode(unary.stream))

    def test_bad_streams_are_one_line_errors(self):
        with self.assertRaises(VlmcError) as caught:
            self.client.decode(b"not a stream")
        self.assertEqual(caught.exception.code, "INVALID_ARGUMENT")
        self.assertIn("not a vlmc stream", str(caught.exception))
        truncated = (servers.SOURCE_DIR / "tests/data/bad_streams/"
                     "trunc_in_y.vlmc").read_bytes()
        with self.assertRaises(VlmcError) as caught:
            self.client.decode(truncated)
        self.assertEqual(caught.exception.code, "DATA_LOSS")
        self.assertRegex(str(caught.exception),
                         r"^Decode at 127\.0\.0\.1:\d+: DATA_LOSS: \S")
        self.assertNotIn("\n", str(caught.exception))

    def test_bad_requests_are_refused_with_their_code(self):
        cases = [
            (dict(quality=0.5, target_bpp=0.1), "INVALID_ARGUMENT",
             "exactly one rate target"),
            (dict(), "INVALID_ARGUMENT", "exactly one rate target"),
            (dict(quality=2), "INVALID_ARGUMENT", "outside [0, 1]"),
            (dict(max_bytes=0), "INVALID_ARGUMENT", "max_bytes must be positive"),
            (dict(quality=0.5, resolution="tiny"), "INVALID_ARGUMENT",
             "resolution must be one of"),
            (dict(quality=0.5, model_id="no-such-model"), "FAILED_PRECONDITION",
             "no-such-model"),
        ]
        for kwargs, code, text in cases:
            with self.subTest(**kwargs), self.assertRaises(VlmcError) as caught:
                self.client.encode(servers.HORSE_PNG, **kwargs)
            self.assertEqual(caught.exception.code, code)
            self.assertIn(text, str(caught.exception))

    def test_bad_images_are_refused(self):
        cases = [
            (b"not an image", "INVALID_ARGUMENT"),
            (np.zeros((8, 8), np.uint8), "INVALID_ARGUMENT"),
            (np.zeros((8, 8, 3), np.float32), "INVALID_ARGUMENT"),
            (12, "INVALID_ARGUMENT"),
            ("/no/such/image.png", None),
        ]
        for image, code in cases:
            with self.subTest(image=type(image).__name__), \
                    self.assertRaises(VlmcError) as caught:
                self.client.encode(image, quality=0.5)
            self.assertEqual(caught.exception.code, code, str(caught.exception))

    def test_unreachable_server_is_unavailable(self):
        with VlmcClient("127.0.0.1:1", timeout=10) as client, \
                self.assertRaises(VlmcError) as caught:
            client.get_info()
        self.assertEqual(caught.exception.code, "UNAVAILABLE")
        self.assertTrue(str(caught.exception).startswith(
            "GetInfo at 127.0.0.1:1: UNAVAILABLE: "))


class TaskTest(unittest.TestCase):
    @needs_detector_models
    def test_encode_for_detection_agreement_0_85(self):
        # The default model (vlmc-task v4) tops out at agreement 0.906 on this
        # image (v3: 0.897).
        with VlmcClient(_codec_server.address, timeout=DEADLINE_S) as client:
            result = client.encode_for_task(servers.STREET_PNG, task="detect",
                                            fidelity=0.85, max_passes=6)
            self.assertIsInstance(result, TaskEncodeResult)
            self.assertTrue(result.target_met)
            self.assertGreaterEqual(result.achieved_fidelity, 0.85)
            self.assertLessEqual(result.passes, 6)
            self.assertEqual(client.decode(result.stream).shape, (512, 512, 3))
            # Quality 1 is the most fidelity there is; it should not be needed.
            self.assertLess(result.quality, 1)

    def test_unknown_task_is_refused_here(self):
        with VlmcClient(_codec_server.address) as client, \
                self.assertRaises(VlmcError) as caught:
            client.encode_for_task(servers.STREET_PNG, task="caption")
        self.assertEqual(caught.exception.code, "INVALID_ARGUMENT")

    @needs_detector_models
    def test_forward_answers_what_the_decoded_image_shows(self):
        with VlmcClient(_codec_server.address, timeout=DEADLINE_S) as codec, \
                LvlmClient(_lvlm_server.address, timeout=DEADLINE_S) as lvlm:
            stream = codec.encode(servers.STREET_PNG, quality=0.6).stream
            forwarded = codec.forward(stream, lvlm, task="detect")
            from_png = lvlm.infer(codec.decode_png(stream), task="detect")
            from_array = lvlm.infer(codec.decode(stream), task="detect")
        self.assertEqual((forwarded.width, forwarded.height), (512, 512))
        self.assertGreater(len(forwarded.answer.boxes), 0, "the street has cars")
        self.assertEqual(forwarded.answer.model, "centernet")
        self.assertGreater(forwarded.total_ms, 0)
        for other in (from_png, from_array):
            self.assertEqual([b.label for b in other.boxes],
                             [b.label for b in forwarded.answer.boxes])
            for got, want in zip(other.boxes, forwarded.answer.boxes):
                self.assertAlmostEqual(got.score, want.score, places=3)

    @needs_detector_models
    def test_lvlm_errors_are_one_line(self):
        with LvlmClient(_lvlm_server.address) as lvlm, \
                self.assertRaises(VlmcError) as caught:
            lvlm.infer(b"not an image")
        self.assertEqual(caught.exception.code, "INVALID_ARGUMENT")
        self.assertIn("PNG or JPEG", str(caught.exception))


class SecureServerTest(unittest.TestCase):
    """TLS with client certificates and a bearer token."""
    TOKEN = "python-client-test-token-0123456789"

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.folder.cleanup)
        certs = make_certs(cls.folder.name)
        tokens = certs / "tokens"
        tokens.write_text(f"camera {cls.TOKEN}\n")
        cls.certs = certs
        cls.server = servers.start_codec_server(
            "--tls-cert", certs / "server.crt", "--tls-key", certs / "server.key",
            "--tls-client-ca", certs / "ca.crt", "--auth-tokens", tokens)
        cls.addClassCleanup(cls.server.stop)
        cls.port = cls.server.address.rsplit(":", 1)[1]

    def connect(self, target=None, **overrides):
        options = dict(ca_file=self.certs / "ca.crt",
                       cert_file=self.certs / "client.crt",
                       key_file=self.certs / "client.key",
                       token=self.TOKEN, timeout=DEADLINE_S)
        options.update(overrides)
        client = VlmcClient(target or self.server.address, **options)
        self.addCleanup(client.close)
        return client

    def test_tls_client_certificate_and_token_are_let_in(self):
        self.assertTrue(self.connect().get_info().models)
        # Through a name the certificate carries instead of the address.
        self.assertTrue(self.connect(server_name="localhost").get_info().models)

    def test_missing_or_wrong_token_is_unauthenticated(self):
        for token in (None, "not-the-token-0123456789"):
            with self.subTest(token=token), \
                    self.assertRaises(VlmcError) as caught:
                self.connect(token=token).get_info()
            self.assertEqual(caught.exception.code, "UNAUTHENTICATED")

    def test_wrong_server_name_fails_the_handshake(self):
        with self.assertRaises(VlmcError) as caught:
            self.connect(server_name="elsewhere.example").get_info()
        self.assertEqual(caught.exception.code, "UNAVAILABLE")

    def test_unusable_tls_files_are_refused_before_any_call(self):
        with self.assertRaises(VlmcError) as caught:
            self.connect(ca_file=self.certs / "tokens")
        self.assertIn("holds no PEM CERTIFICATE", str(caught.exception))
        with self.assertRaises(VlmcError) as caught:
            self.connect(key_file=None)
        self.assertIn("go together", str(caught.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
