package dev.gantry.policy.internal;

import dev.gantry.policy.PolicyException;

/**
 * The rule every bundle revision meets before a decision carries it: it is stored with each
 * decision and written to logs, so it must be short and a single line.
 */
public final class Revisions {

    /** The longest revision accepted, in characters; the decision log stores no more. */
    public static final int MAX_LENGTH = 256;

    private Revisions() {
    }

    /**
     * Returns {@code revision} when it is at most {@value #MAX_LENGTH} characters without control
     * characters.
     *
     * @param origin where the revision comes from, for the message
     * @throws PolicyException naming what is wrong otherwise
     */
    public static String check(String revision, String origin) throws PolicyException {
        if (revision.length() > MAX_LENGTH) {
            throw new PolicyException("the revision of " + origin + " is " + revision.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (revision.chars().anyMatch(Character::isISOControl)) {
            throw new PolicyException("the revision of " + origin + " contains a control character"
                    + " (a line break, say); use a single line");
        }
        return revision;
    }
}
