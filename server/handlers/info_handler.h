#ifndef VLMC_SERVER_HANDLERS_INFO_HANDLER_H_
#define VLMC_SERVER_HANDLERS_INFO_HANDLER_H_

#include "server/service_context.h"
#include "vlmc/v1/codec.pb.h"

namespace vlmc::service {

// GetInfo: answered inline (no queue), from state fixed at start.
class InfoHandler {
 public:
  explicit InfoHandler(const ServiceContext& context) : context_(context) {}

  void Fill(v1::GetInfoResponse* response) const;

 private:
  const ServiceContext& context_;
};

}  // namespace vlmc::service

#endif  // VLMC_SERVER_HANDLERS_INFO_HANDLER_H_
