package dev.gantry.api.jobs;

import dev.gantry.api.web.FieldError;
import dev.gantry.api.web.InvalidRequestException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Lists jobs newest first, filtered by state and labels, one page at a time.
 *
 * <p>Paging uses a cursor holding the creation time and id of the last job shown, so pages stay
 * stable while new jobs arrive. Filters are checked before any query runs and every bad one is
 * named.
 */
@Singleton
public class JobListing {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final JobService service;

    public JobListing(JdbcOperations jdbc, TransactionOperations<Connection> transactions, JobService service) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.service = service;
    }

    /**
     * One page of jobs.
     *
     * @param states state names to keep, each possibly a comma-separated list; empty for all
     * @param labels {@code name=value} pairs a job must all carry
     * @param limit how many jobs at most, or null for {@value #DEFAULT_LIMIT}
     * @param cursor the {@code nextCursor} of the previous page, or null for the first
     * @throws InvalidRequestException naming each bad parameter
     */
    public JobPage list(List<String> states, List<String> labels, Integer limit, String cursor) {
        var filter = Filter.parse(states, labels, limit, cursor);
        List<JobRecord> rows = transactions.executeRead(status -> query(filter));
        boolean more = rows.size() > filter.limit();
        List<JobRecord> page = more ? rows.subList(0, filter.limit()) : rows;
        String next = more ? Cursor.of(page.get(page.size() - 1)).encode() : null;
        return new JobPage(page.stream().map(job -> service.view(job, false)).toList(), next);
    }

    private List<JobRecord> query(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT j.* FROM jobs j WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            sql.append(" AND j.state IN (").append(String.join(", ", filter.states().stream().map(s -> "?").toList()))
                    .append(')');
            filter.states().forEach(state -> parameters.add(state.name()));
        }
        filter.labels().forEach((name, value) -> {
            sql.append(" AND EXISTS (SELECT 1 FROM job_labels l")
                    .append(" WHERE l.job_id = j.id AND l.label_name = ? AND l.label_value = ?)");
            parameters.add(name);
            parameters.add(value);
        });
        if (filter.cursor() != null) {
            OffsetDateTime at = OffsetDateTime.ofInstant(filter.cursor().createdAt(), ZoneOffset.UTC);
            sql.append(" AND (j.created_at < ? OR (j.created_at = ? AND j.id < ?))");
            parameters.add(at);
            parameters.add(at);
            parameters.add(filter.cursor().id());
        }
        sql.append(" ORDER BY j.created_at DESC, j.id DESC LIMIT ?");
        parameters.add(filter.limit() + 1);
        return jdbc.prepareStatement(sql.toString(), statement -> {
            bind(statement, parameters);
            return jdbc.entityStream(statement.executeQuery(), JobRecord.class).toList();
        });
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private record Filter(Set<JobState> states, Map<String, String> labels, int limit, Cursor cursor) {

        static Filter parse(List<String> states, List<String> labels, Integer limit, String cursor) {
            List<FieldError> errors = new ArrayList<>();
            Set<JobState> stateSet = states(states, errors);
            Map<String, String> labelMap = labels(labels, errors);
            if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
                errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
            }
            Cursor position = null;
            if (cursor != null && !cursor.isEmpty()) {
                position = Cursor.decode(cursor);
                if (position == null) {
                    errors.add(new FieldError("cursor", "is not a cursor this API issued; use nextCursor as given"));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequestException(errors);
            }
            return new Filter(stateSet, labelMap, limit == null ? DEFAULT_LIMIT : limit, position);
        }

        private static Set<JobState> states(List<String> values, List<FieldError> errors) {
            Set<JobState> states = EnumSet.noneOf(JobState.class);
            for (String value : values) {
                for (String name : value.split(",")) {
                    try {
                        states.add(JobState.valueOf(name.strip().toUpperCase()));
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError("state", "'" + name.strip() + "' is not a job state; states are "
                                + EnumSet.allOf(JobState.class)));
                    }
                }
            }
            return states;
        }

        private static Map<String, String> labels(List<String> values, List<FieldError> errors) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (String value : values) {
                int equals = value.indexOf('=');
                if (equals <= 0) {
                    errors.add(new FieldError("label", "'" + value + "' must have the form name=value"));
                } else {
                    labels.put(value.substring(0, equals), value.substring(equals + 1));
                }
            }
            return labels;
        }
    }

    private record Cursor(Instant createdAt, String id) {

        static Cursor of(JobRecord job) {
            return new Cursor(job.createdAt(), job.id());
        }

        String encode() {
            String text = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                String[] parts = decoded.split("\\.", 3);
                if (parts.length != 3) {
                    return null;
                }
                long seconds = Long.parseLong(parts[0]);
                long nanos = Long.parseLong(parts[1]);
                String id = parts[2];
                boolean valid = seconds >= 0 && nanos >= 0 && nanos < 1_000_000_000
                        && UUID.fromString(id).toString().equals(id);
                return valid ? new Cursor(Instant.ofEpochSecond(seconds, nanos), id) : null;
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return null;
            }
        }
    }
}
