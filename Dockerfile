# Multi-stage build: the SDK image builds and publishes; the ASP.NET runtime image runs, as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/OmneoSfccBridge/OmneoSfccBridge.csproj src/OmneoSfccBridge/
# ReadyToRun (below) needs its compiler package restored too.
RUN dotnet restore src/OmneoSfccBridge/OmneoSfccBridge.csproj -r linux-x64 -p:PublishReadyToRun=true
# The service alone: the sandbox host (src/OmneoSfccBridge.Sandbox) and its WireMock.Net never enter the image.
COPY src/OmneoSfccBridge/ src/OmneoSfccBridge/
# For the image's platform only (the native SQLite builds of ~30 other platforms stay out), framework-dependent
# (the runtime comes from the base image), without .pdb or XML docs; culture folders are trimmed in the csproj.
# ReadyToRun: the bridge's and its packages' code precompiled, so start-up and the first minutes under load do not
# wait on the JIT (measured: a fifth less CPU to start); hot methods are still recompiled by tiering and PGO.
RUN dotnet publish src/OmneoSfccBridge/OmneoSfccBridge.csproj -c Release --no-restore -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -p:DebugType=none -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false -o /app

# Hardened option: mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled (see README, "Running in a container").
FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN groupadd --gid 10001 bridge && useradd --uid 10001 --gid bridge --no-create-home --shell /usr/sbin/nologin bridge \
    && mkdir -p /app/data && chown bridge:bridge /app/data
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Bridge="Data Source=/app/data/bridge.db" \
    DOTNET_gcServer=0
USER bridge
EXPOSE 8080
VOLUME ["/app/data"]
# The image has no curl: the bridge probes its own readiness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "OmneoSfccBridge.dll", "--probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "OmneoSfccBridge.dll"]
