package dev.gantry.api.web;

import dev.gantry.api.backends.BackendNotFoundException;
import dev.gantry.api.jobs.IdempotencyConflictException;
import dev.gantry.api.jobs.JobDeniedException;
import dev.gantry.api.jobs.JobNotFoundException;
import dev.gantry.api.jobs.JobUnplaceableException;
import dev.gantry.api.jobs.PolicyUnavailableException;
import dev.gantry.api.policy.CandidateRefusedException;
import dev.gantry.api.policy.PromotionConflictException;
import dev.gantry.api.policy.ShadowNotFoundException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns Gantry's own exceptions into problem documents. */
final class ProblemHandlers {

    private ProblemHandlers() {
    }

    static MutableHttpResponse<Problem> respond(HttpStatus status, Problem problem) {
        return HttpResponse.<Problem>status(status).body(problem).contentType(Problem.MEDIA_TYPE);
    }

    @Singleton
    static class InvalidRequest implements ExceptionHandler<InvalidRequestException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, InvalidRequestException exception) {
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "invalid-request", "Invalid request", 400,
                    describe(exception), request.getPath(), exception.errors(), null, null, null);
            return respond(HttpStatus.BAD_REQUEST, problem);
        }

        private static String describe(InvalidRequestException exception) {
            var first = exception.errors().get(0);
            String where = first.field().isEmpty() ? "" : first.field() + " ";
            String more = exception.errors().size() > 1 ? " (and " + (exception.errors().size() - 1) + " more)" : "";
            return where + first.message() + more;
        }
    }

    @Singleton
    static class NotFound implements ExceptionHandler<JobNotFoundException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, JobNotFoundException exception) {
            return respond(HttpStatus.NOT_FOUND,
                    Problem.of("job-not-found", "Job not found", 404, exception.getMessage(), request.getPath()));
        }
    }

    @Singleton
    static class BackendNotFound implements ExceptionHandler<BackendNotFoundException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, BackendNotFoundException exception) {
            return respond(HttpStatus.NOT_FOUND, Problem.of(
                    "backend-not-found", "Backend not found", 404, exception.getMessage(), request.getPath()));
        }
    }

    @Singleton
    static class Denied implements ExceptionHandler<JobDeniedException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, JobDeniedException exception) {
            var decision = exception.decision();
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "job-denied", "Job denied by admission policy", 403,
                    String.join("; ", decision.reasons()), request.getPath(), null, decision.reasons(), null,
                    decision.revision());
            return respond(HttpStatus.FORBIDDEN, problem);
        }
    }

    @Singleton
    static class Unplaceable implements ExceptionHandler<JobUnplaceableException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, JobUnplaceableException exception) {
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "job-unplaceable", "No backend can run this job", 422,
                    exception.getMessage(), request.getPath(), null, exception.reasons(), null, null);
            return respond(HttpStatus.UNPROCESSABLE_ENTITY, problem);
        }
    }

    @Singleton
    static class Conflict implements ExceptionHandler<IdempotencyConflictException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, IdempotencyConflictException exception) {
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "idempotency-conflict", "Idempotency key reused with a different body",
                    409, exception.getMessage(), request.getPath(), null, null, exception.existingJobId(), null);
            return respond(HttpStatus.CONFLICT, problem);
        }
    }

    @Singleton
    static class PolicyUnavailable implements ExceptionHandler<PolicyUnavailableException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, PolicyUnavailableException exception) {
            return respond(HttpStatus.SERVICE_UNAVAILABLE, Problem.of(
                    "policy-unavailable", "No policy decision could be made", 503,
                    exception.getMessage() + "; the job was not admitted, try again later", request.getPath()));
        }
    }

    @Singleton
    static class ShadowNotFound implements ExceptionHandler<ShadowNotFoundException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ShadowNotFoundException exception) {
            return respond(HttpStatus.NOT_FOUND, Problem.of(
                    "shadow-not-found", "No candidate policy in shadow", 404, exception.getMessage(),
                    request.getPath()));
        }
    }

    @Singleton
    static class CandidateRefused implements ExceptionHandler<CandidateRefusedException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, CandidateRefusedException exception) {
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "candidate-refused", "Candidate policy bundle refused", 422,
                    exception.getMessage(), request.getPath(), null, null, null, exception.revision());
            return respond(HttpStatus.UNPROCESSABLE_ENTITY, problem);
        }
    }

    @Singleton
    static class PromotionConflict
            implements ExceptionHandler<PromotionConflictException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, PromotionConflictException exception) {
            var problem = new Problem(
                    Problem.TYPE_PREFIX + "promotion-conflict", "Candidate policy not promoted", 409,
                    exception.getMessage(), request.getPath(), null, null, null, exception.candidateRevision());
            return respond(HttpStatus.CONFLICT, problem);
        }
    }
}
