# Shared by the bin/ scripts: makes sure the tools Gantry builds with are present.
# Sourced, not executed.

OPA_VERSION="v1.22.4"

# Puts an opa binary of the pinned version on PATH, installing it with `go install` when missing.
ensure_opa() {
    local gobin
    gobin="$(go env GOPATH 2>/dev/null)/bin"
    export PATH="$gobin:$PATH"
    if command -v opa >/dev/null 2>&1 && [[ "$(opa version 2>/dev/null)" == "Version: ${OPA_VERSION#v}"$'\n'* ]]; then
        return 0
    fi
    if ! command -v go >/dev/null 2>&1; then
        echo "gantry: opa ${OPA_VERSION} is missing and Go is not installed to build it" >&2
        return 1
    fi
    echo "gantry: installing opa ${OPA_VERSION} with go install (takes a few minutes the first time)" >&2
    go install "github.com/open-policy-agent/opa@${OPA_VERSION}"
}

# Prints a file that is newer than the built server jar, if any, so a stale build is rebuilt.
newer_than_jar() {
    local jar="$1"
    # Only the modules the server is built from: scratch files elsewhere in the checkout do not count.
    find pom.xml spi plugin-loader policy backends api \( -name target -o -name jmh \) -prune -o \
        -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.rego' -o -name '*.json' \
        -o -path '*/src/main/resources/*' \) \
        -newer "$jar" -print -quit 2>/dev/null
}
