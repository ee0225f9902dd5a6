package dev.gantry.api.web;

import java.util.List;

/** A request that cannot be accepted as sent; names every field or parameter at fault. */
public class InvalidRequestException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super("invalid request: " + errors.size() + " field(s) at fault");
        this.errors = List.copyOf(errors);
    }

    /** A request with one field at fault. */
    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new FieldError(field, message)));
    }

    /** Every field at fault, in the order found. */
    public List<FieldError> errors() {
        return errors;
    }
}
