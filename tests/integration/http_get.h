#ifndef VLMC_TESTS_INTEGRATION_HTTP_GET_H_
#define VLMC_TESTS_INTEGRATION_HTTP_GET_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vlmc::testing {

// Body of an HTTP/1.0 GET of `path` from `host_port` (an IPv4 loopback
// address), e.g. the server's Prometheus /metrics page.
absl::StatusOr<std::string> HttpGet(const std::string& host_port,
                                    const std::string& path);

// The value of the first Prometheus sample of metric `name` that carries
// every label in `labels` (in any order, among others), or NOT_FOUND.
absl::StatusOr<double> PrometheusValue(
    absl::string_view page, absl::string_view name,
    const std::map<std::string, std::string>& labels);

}  // namespace vlmc::testing

#endif  // VLMC_TESTS_INTEGRATION_HTTP_GET_H_
