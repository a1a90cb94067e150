# syntax=docker/dockerfile:1
# The asya-sidecar image: the C# sidecar injected beside every actor (and the crew in --builtin mode).
# Build from the repository root:  docker build -f deploy/docker/sidecar.Dockerfile -t ghcr.io/asya-mesh/asya-sidecar:0.1.0 .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# global.json is left out on purpose: the image's SDK is the pinned one.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY components/ components/
COPY runtime/Asya.Runtime.Protocol/ runtime/Asya.Runtime.Protocol/
COPY sidecar/Asya.Sidecar/ sidecar/Asya.Sidecar/
COPY sidecar/Asya.Sidecar.Host/ sidecar/Asya.Sidecar.Host/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish sidecar/Asya.Sidecar.Host/Asya.Sidecar.Host.csproj -c Release -o /app --no-self-contained -p:DebugType=none

# Chiseled: no shell, no package manager, non-root user app (UID 1654).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
COPY --from=build /app ./
# The embedded SQLite database, when no transport is configured, goes to a writable volume, not the read-only root.
ENV ASYA_DATA_DIR=/tmp/asya \
    DOTNET_gcServer=0
USER 1654:1654
EXPOSE 8080
ENTRYPOINT ["/app/asya-sidecar"]
