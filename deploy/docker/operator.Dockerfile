# syntax=docker/dockerfile:1
# The asya-operator image: reconciles AsyncActors (asya_runtime.py is embedded in the assembly for ConfigMap asya-runtime).
# Build from the repository root:  docker build -f deploy/docker/operator.Dockerfile -t ghcr.io/asya-mesh/asya-operator:0.1.0 .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY components/ components/
COPY runtime/Asya.Runtime.Protocol/ runtime/Asya.Runtime.Protocol/
COPY runtime/python/asya_runtime.py runtime/python/asya_runtime.py
COPY operator/Asya.Operator/ operator/Asya.Operator/
COPY operator/Asya.Operator.Host/ operator/Asya.Operator.Host/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish operator/Asya.Operator.Host/Asya.Operator.Host.csproj -c Release -o /app --no-self-contained -p:DebugType=none

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
COPY --from=build /app ./
USER 1654:1654
ENTRYPOINT ["/app/asya-operator"]
