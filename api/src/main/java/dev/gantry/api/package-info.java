/**
 * The Gantry control plane: a Micronaut application that takes jobs over REST, asks policy
 * whether and where they may run, launches them on backends, watches them to the end and keeps
 * a durable record of everything that happened. Feature packages below this one hold the REST
 * resources ({@code jobs}), the durable store ({@code store}), the scheduler and monitor
 * ({@code scheduling}), backend loading ({@code backends}), policy wiring ({@code policy}) and
 * the error documents every endpoint shares ({@code web}).
 */
package dev.gantry.api;
