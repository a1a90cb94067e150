# syntax=docker/dockerfile:1
# The asya-gateway image: tasks API on :8080 (clients), sidecar callbacks on :8081 (mesh), as deployed.
# Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t ghcr.io/asya-mesh/asya-gateway:0.1.0 .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY components/ components/
COPY runtime/Asya.Runtime.Protocol/ runtime/Asya.Runtime.Protocol/
# The host and its task stores (SQLite, PostgreSQL).
COPY gateway/ gateway/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish gateway/Asya.Gateway/Asya.Gateway.csproj -c Release -o /app --no-self-contained -p:DebugType=none

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
COPY --from=build /app ./
# The SQLite task store (one replica) lives here; the manifests mount a volume on it.
ENV ASYA_DATA_DIR=/var/lib/asya-gateway
USER 1654:1654
EXPOSE 8080 8081
ENTRYPOINT ["/app/asya-gateway"]
