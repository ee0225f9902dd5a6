package dev.gantry.api.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the framework's own errors (unknown route, wrong method, unsupported media type, oversized
 * body, unconvertible parameter, unexpected failure) as problem documents, so a client meets one
 * error format everywhere. A 5xx never carries the exception's message, which may name internals.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String title = response.reason();
        String detail = status >= 500
                ? "the control plane failed to handle the request; the log has the details"
                : detailOf(context, title);
        String kind = title.toLowerCase(Locale.ROOT).replace(' ', '-');
        List<FieldError> errors = status >= 500 ? null : fieldErrors(context);
        var problem = new Problem(
                Problem.TYPE_PREFIX + kind, title, status, detail, context.getRequest().getPath(),
                errors, null, null, null);
        return response.body(problem).contentType(Problem.MEDIA_TYPE);
    }

    private static String detailOf(ErrorContext context, String fallback) {
        if (!context.hasErrors()) {
            return fallback;
        }
        return context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    }

    private static List<FieldError> fieldErrors(ErrorContext context) {
        List<FieldError> errors = context.getErrors().stream()
                .filter(error -> error.getPath().isPresent())
                .map(error -> new FieldError(error.getPath().get(), error.getMessage()))
                .toList();
        return errors.isEmpty() ? null : errors;
    }
}
