# syntax=docker/dockerfile:1
# The asya-external-scaler image: KEDA external scaler (gRPC :9090 as deployed, /metrics :9091).
# Build from the repository root:
#   docker build -f deploy/docker/external-scaler.Dockerfile -t ghcr.io/asya-mesh/asya-external-scaler:0.1.0 .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY components/ components/
COPY runtime/Asya.Runtime.Protocol/ runtime/Asya.Runtime.Protocol/
COPY external-scaler/Asya.ExternalScaler/ external-scaler/Asya.ExternalScaler/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish external-scaler/Asya.ExternalScaler/Asya.ExternalScaler.csproj -c Release -o /app --no-self-contained -p:DebugType=none

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
COPY --from=build /app ./
ENV ASYA_DATA_DIR=/tmp/asya
USER 1654:1654
EXPOSE 9090 9091
ENTRYPOINT ["/app/asya-external-scaler"]
