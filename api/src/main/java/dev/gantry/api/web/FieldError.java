package dev.gantry.api.web;

/**
 * One thing wrong with a request, named by the path of the field at fault.
 *
 * @param field the field's path, such as {@code resources.cpu} or {@code command[2]}
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {
}
