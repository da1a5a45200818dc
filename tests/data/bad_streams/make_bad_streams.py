#!/usr/bin/env python3
"""Regenerates the bad-stream corpus in this folder and its EXPECTED manifest.

Every stream is derived from the format-2 golden stream of the default shipped
model, models/zoo/vlmc-hp/2/golden/kodim20_q0.5_format2.vlmc, and damaged in
one way: truncated, one bit flipped, or a header field set to a hostile
value. The expected status code is the one models/bitstream/FORMAT.md assigns
to that damage when the stream is decoded with
vlmc::codec::Codec::Decompress and the shipped model v2;
models/codec/bad_streams_test.cc checks every file.

Files stay small (the corpus is committed): a damaged copy of the whole golden
stream (~20 KB) is kept only where a shorter file would not test the same
check: the one-byte-short stream, and bit flips found by the CRC alone (or, for
flip_y_data_crc_fixed, by the rANS decoder alone). Streams whose damage is
caught while parsing the header use a "tiny body": the golden header with
segments cut to 8 bytes each, the lengths and CRC-32 rewritten to match.

Run it again (python3 tests/data/bad_streams/make_bad_streams.py) after a
format version bump or a new default model; it deletes the old *.vlmc first.
"""

import pathlib
import struct
import zlib

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = (HERE.parents[2] /
          "models/zoo/vlmc-hp/2/golden/kodim20_q0.5_format2.vlmc")


class Stream:
  """The golden stream split into its fields (layout: FORMAT.md)."""

  def __init__(self, data):
    self.data = data
    self.id_len = data[6]
    base = 7 + self.id_len
    self.model_version_at = base
    self.hash_at = base + 2
    self.width_at = base + 10
    self.height_at = base + 14
    self.reserved_at = base + 20
    self.z_len_at = base + 22
    self.y_len_at = base + 26
    self.z_at = base + 30
    z_len, y_len = struct.unpack_from("<II", data, self.z_len_at)
    self.y_at = self.z_at + z_len
    self.crc_at = self.y_at + y_len
    assert self.crc_at + 4 == len(data), "golden stream layout changed"
    assert zlib.crc32(data[:self.crc_at]) == struct.unpack_from(
        "<I", data, self.crc_at)[0], "golden stream CRC mismatch"

  def header(self):
    """Bytes before the z segment, with the two lengths still in place."""
    return bytearray(self.data[:self.z_at])

  def z(self):
    return self.data[self.z_at:self.y_at]

  def y(self):
    return self.data[self.y_at:self.crc_at]


def with_crc(body):
  return bytes(body) + struct.pack("<I", zlib.crc32(bytes(body)))


def flip(data, offset, bit):
  out = bytearray(data)
  out[offset] ^= 1 << bit
  return bytes(out)


def framed(s, header, z, y, z_len=None, y_len=None):
  """A stream with `header`, the given segments and their lengths, and CRC."""
  header = bytearray(header)
  struct.pack_into("<II", header, s.z_len_at,
                   len(z) if z_len is None else z_len,
                   len(y) if y_len is None else y_len)
  return with_crc(header + z + y)


def build(s):
  """Returns [(file name, bytes, status code, reason)]."""
  g = s.data
  tiny_z, tiny_y = s.z()[:8], s.y()[:8]

  def tiny(edit=None, **lengths):
    header = s.header()
    if edit:
      edit(header)
    return framed(s, header, tiny_z, tiny_y, **lengths)

  def put(fmt, offset, *values):
    return lambda h: struct.pack_into(fmt, h, offset, *values)

  head = g[:s.z_at + 16]  # header and the first z bytes
  cases = [
      ("empty.vlmc", b"", "INVALID_ARGUMENT",
       "empty input: not a vlmc stream"),
      ("trunc_in_magic.vlmc", g[:2], "INVALID_ARGUMENT",
       "2 bytes: shorter than the magic"),
      ("trunc_after_magic.vlmc", g[:4], "DATA_LOSS",
       "magic only: format version missing"),
      ("trunc_in_header.vlmc", g[:s.hash_at + 3], "DATA_LOSS",
       "cut inside the weights hash"),
      ("trunc_in_lengths.vlmc", g[:s.y_len_at + 2], "DATA_LOSS",
       "cut inside the y segment length"),
      ("trunc_in_z.vlmc", g[:s.z_at + 100], "DATA_LOSS",
       "cut inside the z segment"),
      ("trunc_in_y.vlmc", g[:s.y_at + 100], "DATA_LOSS",
       "cut inside the y segment"),
      ("trunc_in_crc.vlmc", g[:-1], "DATA_LOSS",
       "whole stream one byte short (inside the CRC)"),
      ("trailing_byte.vlmc", tiny() + b"\0", "DATA_LOSS",
       "one byte after the CRC"),
      ("flip_magic.vlmc", flip(head, 1, 0), "INVALID_ARGUMENT",
       "bit flipped in the magic: not a vlmc stream"),
      ("flip_version.vlmc", flip(head, 4, 1), "FAILED_PRECONDITION",
       "bit flipped in the format version: unknown version 3"),
      ("flip_flags.vlmc", flip(tiny(), 5, 7), "DATA_LOSS",
       "reserved flag bit flipped: CRC mismatch"),
      ("flip_reserved.vlmc", flip(tiny(), s.reserved_at + 1, 0), "DATA_LOSS",
       "reserved field bit flipped: CRC mismatch"),
      ("flip_weights_hash.vlmc", flip(g, s.hash_at + 3, 4), "DATA_LOSS",
       "weights hash bit flipped: CRC mismatch"),
      ("flip_width.vlmc", flip(g, s.width_at, 6), "DATA_LOSS",
       "width bit flipped: CRC mismatch"),
      ("flip_z_length.vlmc", flip(tiny(), s.z_len_at, 3), "DATA_LOSS",
       "z length bit flipped (8 -> 0): bytes left after the CRC"),
      ("flip_y_data.vlmc", flip(g, s.y_at + len(s.y()) // 2, 2), "DATA_LOSS",
       "bit flipped inside the entropy-coded y data: CRC mismatch"),
      ("flip_y_data_crc_fixed.vlmc",
       with_crc(flip(g[:s.crc_at], s.y_at + len(s.y()) // 2, 2)),
       "DATA_LOSS",
       "y data bit flipped and the CRC recomputed: the rANS decoder must end "
       "in its start state"),
      ("tiny_body.vlmc", tiny(), "DATA_LOSS",
       "well-framed stream whose segments are cut to 8 bytes: z decode fails"),
      ("flags_set_crc_fixed.vlmc", tiny(put("<B", 5, 1)), "DATA_LOSS",
       "flags = 1 with a valid CRC"),
      ("reserved_set_crc_fixed.vlmc", tiny(put("<H", s.reserved_at, 0x100)),
       "DATA_LOSS", "reserved field = 0x100 with a valid CRC"),
      ("model_id_bad_char.vlmc", tiny(put("<B", 7, ord("V"))), "DATA_LOSS",
       "model id with an upper-case letter"),
      ("width_zero.vlmc", tiny(put("<I", s.width_at, 0)), "DATA_LOSS",
       "width 0"),
      ("height_zero.vlmc", tiny(put("<I", s.height_at, 0)), "DATA_LOSS",
       "height 0"),
      ("width_above_limit.vlmc", tiny(put("<I", s.width_at, 16385)),
       "INVALID_ARGUMENT", "width 16385 > max_width 16384"),
      ("size_65535x65535.vlmc",
       tiny(put("<II", s.width_at, 65535, 65535)), "INVALID_ARGUMENT",
       "65535 x 65535 with an 8-byte body"),
      ("size_max_u32.vlmc",
       tiny(put("<II", s.width_at, 0xFFFFFFFF, 0xFFFFFFFF)),
       "INVALID_ARGUMENT", "width and height 2^32 - 1"),
      ("pixels_above_codec_limit.vlmc",
       tiny(put("<II", s.width_at, 8192, 4096)), "INVALID_ARGUMENT",
       "8192 x 4096 = 2^25 pixels > the codec's 2^24"),
      ("pixels_at_codec_limit.vlmc",
       tiny(put("<II", s.width_at, 4096, 4096)), "DATA_LOSS",
       "4096 x 4096 (allowed) with an 8-byte body: z decode runs dry"),
      ("z_length_above_limit.vlmc", tiny(z_len=(1 << 28) + 1),
       "INVALID_ARGUMENT", "z length 2^28 + 1 > max_segment_bytes"),
      ("y_length_max_u32.vlmc", tiny(y_len=0xFFFFFFFF), "INVALID_ARGUMENT",
       "y length 2^32 - 1 > max_segment_bytes"),
      ("lengths_sum_overflow.vlmc", tiny(z_len=0xFFFFFFF8, y_len=0x10),
       "INVALID_ARGUMENT",
       "z + y overflows 32 bits; the segment limit rejects z first"),
      ("lengths_at_limit.vlmc", tiny(z_len=1 << 28, y_len=1 << 28),
       "DATA_LOSS", "z = y = 2^28 (allowed) in a tiny file"),
      ("z_length_past_end.vlmc", tiny(z_len=1 << 20), "DATA_LOSS",
       "z length 2^20 larger than the file"),
      ("y_length_past_end.vlmc", tiny(y_len=1 << 20), "DATA_LOSS",
       "y length 2^20 larger than the file"),
      ("y_empty.vlmc", framed(s, s.header(), s.z(), b""), "DATA_LOSS",
       "intact z segment, empty y segment"),
      ("other_weights_hash.vlmc",
       tiny(put("<B", s.hash_at, g[s.hash_at] ^ 0xFF)),
       "FAILED_PRECONDITION", "valid stream of another model's weights"),
      ("other_model_version.vlmc",
       tiny(put("<H", s.model_version_at, 1)), "FAILED_PRECONDITION",
       "valid stream of model version 1"),
      ("other_model_id.vlmc", tiny(put("<B", 7, ord("x"))),
       "FAILED_PRECONDITION", "valid stream of another model id"),
  ]
  return cases


def main():
  s = Stream(GOLDEN.read_bytes())
  for old in HERE.glob("*.vlmc"):
    old.unlink()
  lines = [
      "# Generated by make_bad_streams.py from " +
      str(GOLDEN.relative_to(HERE.parents[2])) + "; do not edit.",
      "# file  expected absl status code of Codec::Decompress (model v2)  "
      "reason",
  ]
  for name, data, code, reason in build(s):
    (HERE / name).write_bytes(data)
    lines.append(f"{name} {code} {reason}")
  (HERE / "EXPECTED").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
  main()
