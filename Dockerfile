# One image for every subcommand: energy ingest | serve | rollup | bill | simulate | ...
#   docker build -t ghcr.io/OWNER/energy:TAG .
#   docker run --rm ghcr.io/OWNER/energy:TAG --help
# Runs as a non-root user (uid 10001) and needs no writable root filesystem: the Kubernetes
# manifests mount emptyDirs at /tmp and wherever a command writes (bill --out, simulate --resume-file).

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- build: the Swift toolchain and the C libraries' headers -----------------------------------
FROM ${SWIFT_IMAGE} AS build
# The same Debian packages scripts/install-deps.sh installs for a build. Not pinned: Debian
# stable only takes security fixes, which we want.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        pkg-config libsqlite3-dev libmongoc-dev libbson-dev libxlsxwriter-dev librabbitmq-dev libxml2-dev libhpdf-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
# SwiftPM checks every target of the manifest, tests and benchmarks included.
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift build -c release --product energy --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/energy" /out/energy

# --- runtime: Debian slim with only the shared C libraries energy links -------------------------
FROM ${RUNTIME_IMAGE}
# tzdata: communities bill by local days (Europe/Vienna); ca-certificates: TLS to MongoDB/RabbitMQ/Keycloak;
# libcurl4: Foundation's URLSession, with which `serve` fetches Keycloak's signing keys.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libsqlite3-0 libmongoc-1.0-0 libbson-1.0-0 libxlsxwriter4 librabbitmq4 libxml2 libhpdf-2.3.0 \
        libstdc++6 libcurl4 tzdata ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 energy \
    && useradd --system --uid 10001 --gid energy --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin energy
COPY --from=build /out/energy /usr/local/bin/energy
# Fails the build here, not in the cluster, if a shared library is missing.
RUN ["/usr/local/bin/energy", "--help"]
# Nothing is written below / : HOME and temporary files go to /tmp (an emptyDir in Kubernetes).
ENV HOME=/tmp TMPDIR=/tmp
USER 10001:10001
WORKDIR /tmp
EXPOSE 8080 9464
ENTRYPOINT ["/usr/local/bin/energy"]
CMD ["--help"]
