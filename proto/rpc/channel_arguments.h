#ifndef VLMC_PROTO_RPC_CHANNEL_ARGUMENTS_H_
#define VLMC_PROTO_RPC_CHANNEL_ARGUMENTS_H_

#include "grpcpp/support/channel_arguments.h"

namespace vlmc::rpc {

// Arguments of a client channel to a vlmc server: a receive limit of
// `max_receive_message_bytes`, since gRPC's default (4 MiB) is below a
// decoded 1920x1080 image or its float tensor.
grpc::ChannelArguments ClientChannelArguments(int max_receive_message_bytes);

}  // namespace vlmc::rpc

#endif  // VLMC_PROTO_RPC_CHANNEL_ARGUMENTS_H_
