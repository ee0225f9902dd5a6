package dev.gantry.policy.embedded.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.internal.Digests;
import dev.gantry.policy.internal.Revisions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of an OPA bundle built with {@code opa build -t wasm} that the embedded engine needs:
 * the compiled policy module, the data document and the revision.
 *
 * <p>The module is the one the bundle's {@code .manifest} names (there must be exactly one), or
 * {@code /policy.wasm} when the manifest lists none. The data document is the bundle's root
 * {@code /data.json}, which is where {@code opa build} merges all data files; without one the data
 * is empty. The revision is the manifest's when set, otherwise {@code sha256:} and the first twelve
 * hex digits of the module's digest, so the revision changes whenever the module does.
 */
public final class WasmBundle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_MODULE = "policy.wasm";
    private static final int DIGEST_PREFIX_LENGTH = 12;

    private final String origin;
    private final byte[] wasm;
    private final String dataJson;
    private final String revision;

    private WasmBundle(String origin, byte[] wasm, String dataJson, String revision) {
        this.origin = origin;
        this.wasm = wasm;
        this.dataJson = dataJson;
        this.revision = revision;
    }

    /**
     * Reads a bundle.
     *
     * @param gzippedTar the {@code .tar.gz} bundle; not closed
     * @param origin where the bundle came from, for messages
     * @throws PolicyException when the stream is not a readable bundle or holds no WebAssembly policy
     */
    public static WasmBundle read(InputStream gzippedTar, String origin) throws PolicyException {
        Map<String, byte[]> files = readFiles(gzippedTar, origin);
        JsonNode manifest = parse(files.get(".manifest"), ".manifest", origin);
        byte[] wasm = files.get(moduleName(manifest, origin));
        if (wasm == null) {
            throw new PolicyException("policy bundle " + origin
                    + " holds no WebAssembly module; build it with opa build -t wasm");
        }
        return new WasmBundle(origin, wasm, dataJson(files, origin), revision(manifest, wasm, origin));
    }

    /** Where the bundle came from: a file path or a class path resource. */
    public String origin() {
        return origin;
    }

    /** The compiled policy module; a fresh copy on each call. */
    public byte[] wasm() {
        return wasm.clone();
    }

    /** The data document, as JSON. */
    public String dataJson() {
        return dataJson;
    }

    /** The manifest revision, or {@code sha256:} and the start of the module's digest. */
    public String revision() {
        return revision;
    }

    private static Map<String, byte[]> readFiles(InputStream gzippedTar, String origin)
            throws PolicyException {
        try {
            return TarArchive.readFiles(gzippedTar);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy bundle " + origin + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(byte[] json, String name, String origin) throws PolicyException {
        if (json == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new PolicyException("policy bundle " + origin + " has a malformed " + name, e);
        }
    }

    /** The data document as the bundle holds it, checked to be a JSON object but not rewritten. */
    private static String dataJson(Map<String, byte[]> files, String origin) throws PolicyException {
        byte[] data = files.get("data.json");
        if (data == null) {
            return "{}";
        }
        if (!parse(data, "data.json", origin).isObject()) {
            throw new PolicyException("policy bundle " + origin + " has a data.json that is not an object");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private static String moduleName(JsonNode manifest, String origin) throws PolicyException {
        Set<String> modules = new TreeSet<>();
        for (JsonNode wasmEntry : manifest.path("wasm")) {
            modules.add(wasmEntry.path("module").asText().replaceFirst("^/", ""));
        }
        if (modules.size() > 1) {
            throw new PolicyException("policy bundle " + origin + " has several WebAssembly modules "
                    + modules + "; build all entrypoints into one");
        }
        return modules.isEmpty() ? DEFAULT_MODULE : modules.iterator().next();
    }

    private static String revision(JsonNode manifest, byte[] wasm, String origin) throws PolicyException {
        String declared = manifest.path("revision").asText("");
        if (!declared.isEmpty()) {
            return Revisions.check(declared, "policy bundle " + origin);
        }
        String digest = Digests.sha256Hex(wasm);
        return "sha256:" + digest.substring(0, DIGEST_PREFIX_LENGTH);
    }
}
