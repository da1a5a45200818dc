#ifndef VLMC_SERVER_SERVER_OPTIONS_H_
#define VLMC_SERVER_SERVER_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "models/codec/synthesis_precision.h"

namespace vlmc::service {

// Where inference runs. The codec runs on the CPU only today, so kCuda fails
// at start and kAuto resolves to the CPU (see ResolveDevice).
enum class DeviceChoice { kCpu, kCuda, kAuto };

// Everything vlmc-server can be told. Every flag has an environment variable
// twin (the flag wins over the variable, the variable over the default);
// Create() validates the lot so the rest of the server can trust it.
struct ServerOptions {
  std::string listen;          // HOST:PORT; port 0 picks a free port
  std::string metrics_listen;  // HOST:PORT; empty: no metrics endpoint
  // HOST:PORT of a second, plaintext listener serving only grpc.health.v1
  // (for probes that cannot speak TLS); empty: none.
  std::string health_listen;
  // PEM files. Both cert and key, or neither (plaintext); a client CA needs
  // both and makes clients present a certificate it signed (mutual TLS).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // Bearer token file (server/auth/token_table.h); empty: no tokens needed.
  std::string auth_tokens;
  std::string model_root;  // holds <model_id>/<version>/model.safetensors
  std::string model_id;    // the model Encode uses when a request names none
  // Further ids whose every version is loaded (for Decode and selection).
  std::vector<std::string> extra_model_ids;
  int model_version = 0;  // the default version; 0: the newest one found
  int workers = 0;        // inference threads
  int torch_threads = 0;  // LibTorch intra-op threads per worker
  int queue_capacity = 0;
  int max_batch = 0;
  int batch_window_us = 0;  // how long a Decode batch waits to fill up
  DeviceChoice device = DeviceChoice::kAuto;
  codec::SynthesisPrecision synthesis = codec::SynthesisPrecision::kFloat32;
  int png_compression_level = 0;   // zlib level of Decode's PNG output
  std::string semantic_model_dir;  // empty: the semantic models' default cache
  int64_t max_message_bytes = 0;   // unary request/response limit
  int64_t max_image_pixels = 0;
  int max_image_dimension = 0;  // per side
  double shutdown_grace_seconds = 0;

  // Returns the value of an environment variable, or nullopt when unset.
  using EnvLookup =
      std::function<std::optional<std::string>(const std::string& name)>;

  // Parses the command line (without the program name) over the environment.
  // INVALID_ARGUMENT with a one-line message for an unknown flag, a stray
  // argument or a bad value (naming the flag and its variable).
  static absl::StatusOr<ServerOptions> Create(
      const std::vector<std::string>& args, const EnvLookup& env);
  // Same, reading the process environment.
  static absl::StatusOr<ServerOptions> Create(
      const std::vector<std::string>& args);

  // True when `args` asks for --help (or -h).
  static bool HelpRequested(const std::vector<std::string>& args);
  // The --help text: every flag with its variable and default.
  static std::string Help();
  // "--NAME (VARIABLE)", how messages name flag `name` (without dashes).
  static std::string FlagLabel(const std::string& name);
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_SERVER_OPTIONS_H_
