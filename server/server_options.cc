#include "server/server_options.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "models/util/cli_flags.h"

namespace vlmc::service {
namespace {

// The codec's own pixel limit (codec::kMaxCodecPixels); the server may only
// lower it. Kept as a literal so the options need no LibTorch headers.
constexpr int64_t kCodecPixelLimit = int64_t{1} << 24;
// The bitstream's per-side limit (bitstream::Limits).
constexpr int kStreamDimensionLimit = 16384;

struct FlagDef {
  const char* name;
  const char* env;
  const char* default_value;
  const char* help;
};

const std::vector<FlagDef>& FlagDefs() {
  static const auto* defs = new std::vector<FlagDef>{
      {"listen", "VLMC_LISTEN", "127.0.0.1:50051",
       "gRPC address HOST:PORT (port 0: pick a free port)"},
      {"metrics-listen", "VLMC_METRICS_LISTEN", "127.0.0.1:9464",
       "Prometheus /metrics HTTP address HOST:PORT (port 0: pick a free "
       "port; \"\" or off: no metrics endpoint)"},
      {"health-listen", "VLMC_HEALTH_LISTEN", "",
       "second gRPC address HOST:PORT, always plaintext, serving only the "
       "grpc.health.v1 health service with the main port's status (for "
       "probes that cannot speak TLS, e.g. Kubernetes gRPC probes); \"\" or "
       "off: none"},
      {"tls-cert", "VLMC_TLS_CERT", "",
       "PEM certificate chain of the server; with --tls-key the gRPC port "
       "speaks TLS only (\"\": plaintext)"},
      {"tls-key", "VLMC_TLS_KEY", "",
       "PEM private key (unencrypted) of --tls-cert"},
      {"tls-client-ca", "VLMC_TLS_CLIENT_CA", "",
       "PEM CA certificates; clients must present a certificate one of them "
       "signed (mutual TLS). Needs --tls-cert and --tls-key"},
      {"auth-tokens", "VLMC_AUTH_TOKENS", "",
       "file of bearer tokens, one client per line: 'CLIENT_NAME TOKEN "
       "[METHOD,METHOD...]' (no methods: all; '#' comments; tokens of at "
       "least 16 visible ASCII characters). Every call but the health checks "
       "must then carry metadata 'authorization: Bearer TOKEN': "
       "UNAUTHENTICATED without a known token, PERMISSION_DENIED for a "
       "method its client may not call (grant EncodeStream and DecodeStream "
       "with Encode and Decode: clients switch to them for large messages). "
       "Use with TLS: the token travels in the clear otherwise"},
      {"model-root", "VLMC_MODEL_ROOT", VLMC_DEFAULT_MODEL_ROOT,
       "model zoo holding <model>/<version>/model.safetensors"},
      {"model", "VLMC_MODEL_ID", VLMC_DEFAULT_MODEL_ID,
       "model id to serve; every version of it under --model-root is loaded "
       "so older streams still decode"},
      {"extra-models", "VLMC_EXTRA_MODEL_IDS", VLMC_EXTRA_MODEL_IDS,
       "comma-separated further model ids under --model-root whose every "
       "version is loaded too, so streams they wrote decode and requests may "
       "name them; none: only --model"},
      {"model-version", "VLMC_MODEL_VERSION", VLMC_DEFAULT_MODEL_VERSION,
       "version used when a request names none (0: the newest found)"},
      {"workers", "VLMC_WORKERS", "2", "inference worker threads"},
      {"torch-threads", "VLMC_TORCH_THREADS", "0",
       "LibTorch threads per inference (0: CPU cores / workers, at least 1); "
       "also the size of OpenBLAS's process-wide pool"},
      {"queue-capacity", "VLMC_QUEUE_CAPACITY", "8",
       "requests waiting for a worker beyond which calls get "
       "RESOURCE_EXHAUSTED (small, so overload is refused at once instead "
       "of queued past callers' deadlines: a 768x512 decode takes ~1.5 s "
       "per worker on 2 CPU cores)"},
      {"max-batch", "VLMC_MAX_BATCH", "4",
       "most requests a worker runs together. Decode calls of one model "
       "whose streams have the same latent shape share one synthesis pass "
       "(dynamic batching, see --batch-window-us); other RPCs of one model "
       "waiting together run back to back on that worker. 1: no batching"},
      {"batch-window-us", "VLMC_BATCH_WINDOW_US", "0",
       "microseconds a worker holding a Decode batch smaller than "
       "--max-batch waits for more matching calls before running it (the "
       "most latency batching adds to a call); 0: run what is already "
       "queued without waiting. A few ms (e.g. 2000) suits a GPU; on the "
       "CPU a window only adds latency"},
      {"device", "VLMC_DEVICE", "auto",
       "cpu, cuda or auto: where the codec's networks run (entropy coding "
       "stays on the CPU). cuda needs a build with VLMC_WITH_CUDA and a "
       "usable device, else the server refuses to start; auto picks cuda:0 "
       "when usable, else cpu"},
      {"synthesis", "VLMC_SYNTHESIS", "float32",
       "arithmetic of the synthesis (latents -> pixels): float32 (fast; each "
       "decoded value within +-1 of float64), float64 (exact: the same pixels "
       "on every machine and thread count, about 2x slower on the CPU) or "
       "float16 (CUDA only). Streams and latents are the same in all three"},
      {"png-level", "VLMC_PNG_LEVEL", "1",
       "zlib level of the PNG that Decode returns (OUTPUT_FORMAT_PNG): 0 "
       "(stored) to 9 (smallest); 1 writes a photo about 5x faster than "
       "libpng's default 6 for about 11 % more bytes. The pixels are the "
       "same at every level"},
      {"semantic-model-dir", "VLMC_SEMANTIC_MODEL_DIR", "",
       "CenterNet models for EncodeForTask (empty: $VLMC_MODEL_CACHE or "
       "~/.cache/vlmc/human-models-3.0.4); without them the server starts "
       "and EncodeForTask returns FAILED_PRECONDITION"},
      {"max-message-bytes", "VLMC_MAX_MESSAGE_BYTES", "4194304",
       "largest unary request or response; larger ones use EncodeStream / "
       "DecodeStream"},
      {"max-image-pixels", "VLMC_MAX_IMAGE_PIXELS", "16777216",
       "largest image (width * height) accepted or decoded, at most 16777216"},
      {"max-image-dimension", "VLMC_MAX_IMAGE_DIMENSION", "16384",
       "largest image width or height, at most 16384"},
      {"shutdown-grace-seconds", "VLMC_SHUTDOWN_GRACE_SECONDS", "10",
       "on SIGTERM/SIGINT, time in-flight calls get to finish before they are "
       "cancelled"},
  };
  return *defs;
}

std::string FlagName(const FlagDef& def) {
  return absl::StrCat("--", def.name, " (", def.env, ")");
}

const FlagDef& Def(const std::string& name) {
  for (const FlagDef& def : FlagDefs()) {
    if (name == def.name) return def;
  }
  std::abort();  // only called with names from the table
}

absl::Status BadValue(const std::string& name, const std::string& value,
                      const std::string& expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      FlagName(Def(name)), ": expected ", expected, ", got '", value, "'"));
}

absl::StatusOr<int64_t> IntIn(const cli::Flags& flags, const std::string& name,
                              int64_t min, int64_t max) {
  int64_t value = 0;
  const std::string& text = flags.Get(name);
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return BadValue(name, text,
                    absl::StrCat("an integer in [", min, ", ", max, "]"));
  }
  return value;
}

// HOST:PORT with a non-empty host ("[v6]" for IPv6) and a port in [0, 65535].
absl::Status CheckHostPort(const std::string& name, const std::string& text) {
  const size_t colon = text.rfind(':');
  const std::string expected = "HOST:PORT with a port in [0, 65535]";
  if (colon == std::string::npos || colon == 0) {
    return BadValue(name, text, expected);
  }
  const std::string host = text.substr(0, colon);
  int port = 0;
  if (!absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return BadValue(name, text, expected);
  }
  const bool bracketed = host.front() == '[';
  if (bracketed != (host.back() == ']') ||
      (!bracketed && host.find(':') != std::string::npos)) {
    return BadValue(name, text, "an IPv6 host in brackets, e.g. [::1]:50051");
  }
  return absl::OkStatus();
}

// `text` broken into lines of at most `width` characters, each indented.
std::string Wrap(const std::string& text, size_t width,
                 const std::string& indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, indent, line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty()) absl::StrAppend(&out, indent, line, "\n");
  return out;
}

absl::Status CheckModelId(const std::string& flag, const std::string& id) {
  bool valid = !id.empty() && id.size() <= 64;
  for (char c : id) {
    valid = valid && (absl::ascii_islower(c) || absl::ascii_isdigit(c) ||
                      c == '.' || c == '_' || c == '-');
  }
  if (valid) return absl::OkStatus();
  return BadValue(flag, id, "1 to 64 characters of [a-z0-9._-]");
}

// The --extra-models list without --model itself and without repeats.
absl::StatusOr<std::vector<std::string>> ExtraModelIds(
    const std::string& text, const std::string& model_id) {
  std::vector<std::string> ids;
  if (text == "none") return ids;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    const std::string id(absl::StripAsciiWhitespace(part));
    if (absl::Status s = CheckModelId("extra-models", id); !s.ok()) return s;
    if (id != model_id && std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(id);
  }
  return ids;
}

}  // namespace

absl::StatusOr<ServerOptions> ServerOptions::Create(
    const std::vector<std::string>& args, const EnvLookup& env) {
  std::vector<cli::Flags::Spec> specs;
  for (const FlagDef& def : FlagDefs()) {
    // The environment replaces the built-in default; a flag then wins.
    std::optional<std::string> from_env = env(def.env);
    const bool use_env = from_env.has_value() && !from_env->empty();
    specs.push_back(
        {def.name, use_env ? *from_env : def.default_value, def.help, false});
  }
  absl::StatusOr<cli::Flags> flags = cli::Flags::Parse(args, specs);
  if (!flags.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.status().message(), " (see --help)"));
  }
  if (!flags->positional().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument '",
                                                   flags->positional().front(),
                                                   "' (see --help)"));
  }

  ServerOptions options;
  options.listen = flags->Get("listen");
  if (absl::Status s = CheckHostPort("listen", options.listen); !s.ok()) {
    return s;
  }
  options.metrics_listen = flags->Get("metrics-listen");
  if (options.metrics_listen == "off") options.metrics_listen.clear();
  if (!options.metrics_listen.empty()) {
    absl::Status s = CheckHostPort("metrics-listen", options.metrics_listen);
    if (!s.ok()) return s;
  }
  options.health_listen = flags->Get("health-listen");
  if (options.health_listen == "off") options.health_listen.clear();
  if (!options.health_listen.empty()) {
    absl::Status s = CheckHostPort("health-listen", options.health_listen);
    if (!s.ok()) return s;
  }
  options.tls_cert = flags->Get("tls-cert");
  options.tls_key = flags->Get("tls-key");
  options.tls_client_ca = flags->Get("tls-client-ca");
  options.auth_tokens = flags->Get("auth-tokens");
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        FlagName(Def("tls-cert")), " and ", FlagName(Def("tls-key")),
        " go together; only ",
        FlagName(Def(options.tls_cert.empty() ? "tls-key" : "tls-cert")),
        " is set"));
  }
  if (!options.tls_client_ca.empty() && options.tls_cert.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        FlagName(Def("tls-client-ca")), " needs ", FlagName(Def("tls-cert")),
        " and ", FlagName(Def("tls-key"))));
  }
  options.model_root = flags->Get("model-root");
  if (options.model_root.empty()) {
    return BadValue("model-root", "", "a directory");
  }
  options.model_id = flags->Get("model");
  if (absl::Status s = CheckModelId("model", options.model_id); !s.ok())
    return s;
  absl::StatusOr<std::vector<std::string>> extra_ids =
      ExtraModelIds(flags->Get("extra-models"), options.model_id);
  if (!extra_ids.ok()) return extra_ids.status();
  options.extra_model_ids = *std::move(extra_ids);

  const std::string& device = flags->Get("device");
  if (device == "cpu") {
    options.device = DeviceChoice::kCpu;
  } else if (device == "cuda") {
    options.device = DeviceChoice::kCuda;
  } else if (device == "auto") {
    options.device = DeviceChoice::kAuto;
  } else {
    return BadValue("device", device, "cpu, cuda or auto");
  }
  absl::StatusOr<codec::SynthesisPrecision> synthesis =
      codec::ParseSynthesisPrecision(flags->Get("synthesis"));
  if (!synthesis.ok()) {
    return BadValue("synthesis", flags->Get("synthesis"),
                    "float32, float64 or float16");
  }
  options.synthesis = *synthesis;
  options.semantic_model_dir = flags->Get("semantic-model-dir");

  struct IntField {
    const char* name;
    int64_t min, max;
    std::function<void(int64_t)> set;
  };
  const IntField int_fields[] = {
      {"model-version", 0, 65535,
       [&](int64_t v) { options.model_version = static_cast<int>(v); }},
      {"workers", 1, 256,
       [&](int64_t v) { options.workers = static_cast<int>(v); }},
      {"torch-threads", 0, 256,
       [&](int64_t v) { options.torch_threads = static_cast<int>(v); }},
      {"queue-capacity", 1, 1000000,
       [&](int64_t v) { options.queue_capacity = static_cast<int>(v); }},
      {"max-batch", 1, 64,
       [&](int64_t v) { options.max_batch = static_cast<int>(v); }},
      {"batch-window-us", 0, 1000000,
       [&](int64_t v) { options.batch_window_us = static_cast<int>(v); }},
      {"png-level", 0, 9,
       [&](int64_t v) { options.png_compression_level = static_cast<int>(v); }},
      {"max-message-bytes", 1024, std::numeric_limits<int32_t>::max(),
       [&](int64_t v) { options.max_message_bytes = v; }},
      {"max-image-pixels", 1, kCodecPixelLimit,
       [&](int64_t v) { options.max_image_pixels = v; }},
      {"max-image-dimension", 1, kStreamDimensionLimit,
       [&](int64_t v) { options.max_image_dimension = static_cast<int>(v); }},
  };
  for (const IntField& field : int_fields) {
    absl::StatusOr<int64_t> value =
        IntIn(*flags, field.name, field.min, field.max);
    if (!value.ok()) return value.status();
    field.set(*value);
  }

  const std::string& grace = flags->Get("shutdown-grace-seconds");
  if (!absl::SimpleAtod(grace, &options.shutdown_grace_seconds) ||
      !(options.shutdown_grace_seconds >= 0 &&
        options.shutdown_grace_seconds <= 3600)) {
    return BadValue("shutdown-grace-seconds", grace,
                    "a number of seconds in [0, 3600]");
  }
  return options;
}

absl::StatusOr<ServerOptions> ServerOptions::Create(
    const std::vector<std::string>& args) {
  return Create(args,
                [](const std::string& name) -> std::optional<std::string> {
                  const char* value = std::getenv(name.c_str());
                  if (value == nullptr) return std::nullopt;
                  return std::string(value);
                });
}

std::string ServerOptions::FlagLabel(const std::string& name) {
  return FlagName(Def(name));
}

bool ServerOptions::HelpRequested(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h" || arg == "-help") return true;
  }
  return false;
}

std::string ServerOptions::Help() {
  std::string out =
      "usage: vlmc-server [flags]\n"
      "\n"
      "Serves the vlmc.v1.VlmCodec gRPC service (with the standard health\n"
      "service and reflection) and Prometheus metrics at /metrics. Prints\n"
      "'vlmc-server: listening on HOST:PORT metrics HOST:PORT' (or 'metrics\n"
      "off'), plus ' health HOST:PORT' with --health-listen, on stdout once\n"
      "serving; SIGTERM or SIGINT drains in-flight work and exits 0. Exit\n"
      "status 2: a bad flag, or a TLS or token file that cannot be used\n"
      "(the reason goes to stderr); 1: any other start-up failure. Every\n"
      "flag has an environment variable twin; a flag wins over its\n"
      "variable, and an empty variable counts as unset.\n"
      "\n"
      "flags:\n";
  for (const FlagDef& def : FlagDefs()) {
    absl::StrAppendFormat(
        &out, "  --%s V  (env %s, default: %s)\n", def.name, def.env,
        *def.default_value == '\0' ? std::string("\"\"")
                                   : std::string(def.default_value));
    absl::StrAppend(&out, Wrap(def.help, 72, "      "));
  }
  absl::StrAppend(&out, "  --help\n      print this help\n");
  return out;
}

}  // namespace vlmc::service
