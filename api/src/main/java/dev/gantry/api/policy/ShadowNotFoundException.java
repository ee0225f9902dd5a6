package dev.gantry.api.policy;

/** No candidate policy is loaded in shadow. */
public class ShadowNotFoundException extends RuntimeException {

    public ShadowNotFoundException() {
        super("no candidate policy is loaded in shadow; upload one with PUT /v1/policy/shadow");
    }
}
