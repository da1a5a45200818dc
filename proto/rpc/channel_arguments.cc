#include "proto/rpc/channel_arguments.h"

namespace vlmc::rpc {

grpc::ChannelArguments ClientChannelArguments(int max_receive_message_bytes) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(max_receive_message_bytes);
  return args;
}

}  // namespace vlmc::rpc
