#ifndef VLMC_SERVER_AUTH_CONSTANT_TIME_H_
#define VLMC_SERVER_AUTH_CONSTANT_TIME_H_

#include "absl/strings/string_view.h"

namespace vlmc::auth {

// True when `a` and `b` hold the same bytes. For inputs of equal length the
// time taken does not depend on where they differ (every byte is looked at,
// no early exit), so comparing secrets this way leaks nothing through
// timing. Unequal lengths return false at once: compare fixed-size digests
// when the length itself is secret.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace vlmc::auth

#endif  // VLMC_SERVER_AUTH_CONSTANT_TIME_H_
