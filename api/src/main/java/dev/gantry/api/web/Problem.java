package dev.gantry.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. Stack traces never appear here; they stay in the log.
 *
 * @param type a URI naming the kind of problem, stable for clients to match on
 * @param title a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param instance the request path
 * @param errors each field or parameter at fault, for invalid requests
 * @param reasons each policy reason, for denied jobs
 * @param jobId the job concerned, where there is one
 * @param policyRevision the policy bundle revision that decided, for denied jobs; the candidate's
 *     revision, for a candidate policy refused or not promoted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        List<String> reasons,
        String jobId,
        String policyRevision) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "https://gantry.dev/problems/";

    /** A problem with only the standard members. */
    public static Problem of(String kind, String title, int status, String detail, String instance) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, instance, null, null, null, null);
    }
}
