# syntax=docker/dockerfile:1
# Base image for Python actors: asya_runtime.py at /opt/asya (where the operator also mounts ConfigMap asya-runtime).
#   FROM ghcr.io/asya-mesh/asya-python:0.1.0
#   COPY handlers/ /app/
#   (AsyncActor spec.handler: handlers_module.func)
# Build from the repository root:  docker build -f deploy/docker/python-runtime.Dockerfile -t ghcr.io/asya-mesh/asya-python:0.1.0 .
FROM python:3.11-slim-bookworm AS final
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ASYA_SOCKET_DIR=/var/run/asya
COPY runtime/python/asya_runtime.py /opt/asya/asya_runtime.py
WORKDIR /app
# Same UID as the sidecar image: with shareProcessNamespace the sidecar can then signal a hung runtime.
USER 1654:1654
ENTRYPOINT ["python3", "/opt/asya/asya_runtime.py"]
