// The reference LvlmService through a real (in-process) gRPC channel. Needs
// the detector models (scripts/fetch-models.sh); skips without them.
#include "server/lvlm_ref/lvlm_ref_service.h"

#include <filesystem>
#include <memory>
#include <string>

#include "grpcpp/client_context.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "models/image/image_io.h"
#include "models/semantic/coco_classes.h"
#include "models/util/file_io.h"

namespace vlmc::lvlm_ref {
namespace {

// COCO 000000000009 at CenterNet's input size: bowls of food on a table.
const std::string kImagePath =
    std::string(VLMC_SOURCE_DIR) +
    "/tests/data/semantic/inputs/centernet_000000000009.png";
constexpr int kBowl = 45;

class LvlmRefServiceTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = semantic::DefaultSemanticModelDir();
    if (!std::filesystem::exists(dir + "/centernet.json") ||
        !std::filesystem::exists(dir + "/nanodet.json")) {
      return;
    }
    absl::StatusOr<std::unique_ptr<LvlmRefService>> service =
        LvlmRefService::Create({});
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = std::move(*service).release();
    grpc::ServerBuilder builder;
    builder.RegisterService(service_);
    builder.SetMaxReceiveMessageSize(64 << 20);
    server_ = builder.BuildAndStart().release();
    stub_ = v1::LvlmService::NewStub(
                server_->InProcessChannel(grpc::ChannelArguments()))
                .release();
  }
  static void TearDownTestSuite() {
    if (server_ == nullptr) return;
    delete stub_;
    server_->Shutdown();
    delete server_;
    delete service_;
  }

  void SetUp() override {
    if (stub_ == nullptr) {
      GTEST_SKIP() << "no models in " << semantic::DefaultSemanticModelDir()
                   << ": run scripts/fetch-models.sh";
    }
  }

  grpc::Status Infer(const v1::InferRequest& request,
                     v1::InferResponse* response) {
    grpc::ClientContext context;
    return stub_->Infer(&context, request, response);
  }

  static v1::InferRequest DetectImageFile() {
    absl::StatusOr<std::string> bytes = util::ReadFile(kImagePath);
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    v1::InferRequest request;
    request.set_task("detect");
    request.set_image(bytes.ok() ? *bytes : "");
    return request;
  }

  static v1::InferRequest DetectTensor() {
    absl::StatusOr<image::Image> img = image::ReadImageFile(kImagePath);
    EXPECT_TRUE(img.ok()) << img.status();
    v1::InferRequest request;
    request.set_task("detect");
    v1::Tensor* tensor = request.mutable_tensor();
    for (int64_t d : {1, 3, img->height, img->width}) tensor->add_shape(d);
    const size_t plane = static_cast<size_t>(img->width) * img->height;
    std::string data(plane * 3 * sizeof(float), '\0');
    float* values = reinterpret_cast<float*>(data.data());
    for (size_t i = 0; i < plane; ++i) {
      for (size_t c = 0; c < 3; ++c)
        values[c * plane + i] = img->rgb[i * 3 + c] / 255.0f;
    }
    tensor->set_data(std::move(data));
    return request;
  }

  static LvlmRefService* service_;
  static grpc::Server* server_;
  static v1::LvlmService::Stub* stub_;
};

LvlmRefService* LvlmRefServiceTest::service_ = nullptr;
grpc::Server* LvlmRefServiceTest::server_ = nullptr;
v1::LvlmService::Stub* LvlmRefServiceTest::stub_ = nullptr;

TEST_F(LvlmRefServiceTest, DetectsTheBowlsInAnImageFile) {
  v1::InferResponse response;
  grpc::Status status = Infer(DetectImageFile(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.model(), "centernet");
  ASSERT_GT(response.boxes_size(), 0);
  bool found_bowl = false;
  for (const v1::Box& box : response.boxes()) {
    EXPECT_EQ(box.label(), semantic::CocoClassName(box.class_id()));
    EXPECT_GE(box.score(), 0.3f);
    EXPECT_LT(box.x0(), box.x1());
    EXPECT_LT(box.y0(), box.y1());
    found_bowl |= box.class_id() == kBowl;
  }
  EXPECT_TRUE(found_bowl);
  for (int i = 1; i < response.boxes_size(); ++i)
    EXPECT_GE(response.boxes(i - 1).score(), response.boxes(i).score());
  const std::string count = std::to_string(response.boxes_size()) + " object";
  EXPECT_EQ(response.text().rfind(count, 0), 0u) << response.text();
  EXPECT_NE(response.text().find("bowl"), std::string::npos) << response.text();
}

TEST_F(LvlmRefServiceTest, TensorInputGivesTheSameAnswerAsTheImageFile) {
  v1::InferResponse from_file, from_tensor;
  ASSERT_TRUE(Infer(DetectImageFile(), &from_file).ok());
  grpc::Status status = Infer(DetectTensor(), &from_tensor);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(from_tensor.text(), from_file.text());
  ASSERT_EQ(from_tensor.boxes_size(), from_file.boxes_size());
  for (int i = 0; i < from_file.boxes_size(); ++i) {
    EXPECT_EQ(from_tensor.boxes(i).class_id(), from_file.boxes(i).class_id());
    EXPECT_FLOAT_EQ(from_tensor.boxes(i).x0(), from_file.boxes(i).x0());
  }
}

TEST_F(LvlmRefServiceTest, OptionsChooseTheDetectorAndThreshold) {
  v1::InferRequest request = DetectImageFile();
  (*request.mutable_options())["detector"] = "nanodet";
  (*request.mutable_options())["min_score"] = "0.5";
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.model(), "nanodet");
  for (const v1::Box& box : response.boxes()) EXPECT_GE(box.score(), 0.5f);
}

TEST_F(LvlmRefServiceTest, UnknownTaskIsUnimplementedAndNamesDetect) {
  v1::InferRequest request = DetectImageFile();
  request.set_task("caption");
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_message().find("caption"), std::string::npos);
  EXPECT_NE(status.error_message().find("supported tasks: detect"),
            std::string::npos)
      << status.error_message();
}

TEST_F(LvlmRefServiceTest, MalformedRequestsAreInvalidArgument) {
  v1::InferRequest no_task = DetectImageFile();
  no_task.clear_task();
  v1::InferRequest wrong_size = DetectTensor();
  wrong_size.mutable_tensor()->set_shape(3, 100);
  v1::InferRequest wrong_rank = DetectTensor();
  wrong_rank.mutable_tensor()->mutable_shape()->RemoveLast();
  v1::InferRequest no_input;
  no_input.set_task("detect");
  v1::InferRequest bad_score = DetectImageFile();
  (*bad_score.mutable_options())["min_score"] = "1.5";
  v1::InferRequest bad_detector = DetectImageFile();
  (*bad_detector.mutable_options())["detector"] = "yolo";
  v1::InferRequest unknown_option = DetectImageFile();
  (*unknown_option.mutable_options())["nms"] = "0.5";
  for (const v1::InferRequest* request :
       {&no_task, &wrong_size, &wrong_rank, &no_input, &bad_score,
        &bad_detector, &unknown_option}) {
    v1::InferResponse response;
    grpc::Status status = Infer(*request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
  }
}

}  // namespace
}  // namespace vlmc::lvlm_ref
