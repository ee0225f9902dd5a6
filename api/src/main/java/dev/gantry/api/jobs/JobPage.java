package dev.gantry.api.jobs;

import java.util.List;

/**
 * One page of a job listing.
 *
 * @param jobs the jobs, newest first
 * @param nextCursor pass as {@code cursor} to read the next page; null on the last page
 */
public record JobPage(List<JobView> jobs, String nextCursor) {
}
