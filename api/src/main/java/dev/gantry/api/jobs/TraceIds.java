package dev.gantry.api.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** W3C trace-context identifiers and digests used to correlate and compare jobs. */
public final class TraceIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private TraceIds() {
    }

    /** A new random 32-hex-digit trace id. */
    public static String newTraceId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** The {@code TRACEPARENT} value for one attempt: its span id is derived from the attempt id. */
    public static String traceparent(String traceId, String attemptId) {
        String spanId = sha256(attemptId).substring(0, 16);
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /** The SHA-256 of {@code text} in UTF-8, as 64 hex digits. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
