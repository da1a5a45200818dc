"""What the client's calls return: plain dataclasses of the answers' fields
(proto/vlmc/v1/codec.proto and lvlm.proto document each)."""
from dataclasses import dataclass, field
from typing import List


@dataclass(frozen=True)
class EncodeResult:
    """A .vlmc stream and what the server reports about it (EncodeStats)."""
    stream: bytes
    width: int
    height: int
    stream_bytes: int
    bpp: float
    quality: float       # the rate parameter the server chose or was given
    target_met: bool     # false: even the closest stream misses the target
    passes: int          # codec runs the search spent (1 for a quality)
    downscale: int       # coded at 1/downscale of the size: 1, 2 or 4
    encode_ms: float     # server-side compute time
    model_id: str
    model_version: int

    @staticmethod
    def _stats_fields(stream, stats):
        return dict(stream=stream, width=stats.width, height=stats.height,
                    stream_bytes=stats.stream_bytes, bpp=stats.bpp,
                    quality=stats.quality, target_met=stats.target_met,
                    passes=stats.encode_passes, downscale=stats.downscale,
                    encode_ms=stats.encode_ms, model_id=stats.model_id,
                    model_version=stats.model_version)

    @classmethod
    def from_response(cls, response):
        return cls(**cls._stats_fields(response.stream, response.stats))


@dataclass(frozen=True)
class TaskEncodeResult(EncodeResult):
    """EncodeForTask's answer: the smallest stream found that keeps the task
    fidelity, and the fidelity measured on its reconstruction."""
    achieved_fidelity: float = 0.0

    @classmethod
    def from_response(cls, response):
        fields = cls._stats_fields(response.stream, response.stats)
        fields["target_met"] = response.target_met
        return cls(achieved_fidelity=response.achieved_fidelity, **fields)


@dataclass(frozen=True)
class Box:
    label: str        # class name, e.g. "person"
    class_id: int     # COCO 80-class index
    score: float
    x0: float         # corners in pixels of the input image
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class InferResult:
    """An LvlmService's answer."""
    text: str                 # a text answer (detect: a summary line)
    model: str                # which model answered
    infer_ms: float           # server-side compute time
    boxes: List[Box] = field(default_factory=list)

    @classmethod
    def from_response(cls, response):
        return cls(text=response.text, model=response.model,
                   infer_ms=response.infer_ms,
                   boxes=[Box(b.label, b.class_id, b.score, b.x0, b.y0, b.x1, b.y1)
                          for b in response.boxes])


@dataclass(frozen=True)
class ForwardResult:
    """A stream decoded on the codec server and answered by an LvlmService,
    with where the time went (milliseconds; "server_" ones exclude the
    network and queueing)."""
    answer: InferResult
    width: int
    height: int
    decode_ms: float
    server_decode_ms: float
    infer_ms: float
    total_ms: float
