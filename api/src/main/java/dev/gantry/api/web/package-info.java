/**
 * What every endpoint shares at the HTTP edge: errors as {@code application/problem+json}
 * documents (RFC 9457) naming each field at fault, for Gantry's own failures and for the
 * framework's (unknown route, wrong method, oversized or malformed body) alike.
 */
package dev.gantry.api.web;
