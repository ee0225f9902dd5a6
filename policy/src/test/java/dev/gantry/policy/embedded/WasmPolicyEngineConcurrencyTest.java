package dev.gantry.policy.embedded;

import static dev.gantry.policy.embedded.PolicyInputs.admission;
import static dev.gantry.policy.embedded.PolicyInputs.backend;
import static dev.gantry.policy.embedded.PolicyInputs.placement;
import static dev.gantry.policy.embedded.PolicyInputs.text;
import static dev.gantry.policy.embedded.PolicyInputs.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.policy.PlacementDecision.BackendChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WasmPolicyEngineConcurrencyTest {

    private static final int THREADS = 8;
    private static final int EVALUATIONS_PER_THREAD = 60;

    /**
     * Threads outnumber instances, so instances are shared in turn; each call alternates between
     * inputs with different answers, so a leak of heap, input or entrypoint between calls shows up as a
     * wrong answer.
     */
    @Test
    void manyThreadsAtOnceGetCorrectDecisions() throws Exception {
        String allowed = text(admission());
        String denied = text(with(admission(), "/job/resources/cpu", 512));
        String placement = text(placement(backend("b"), backend("a")));
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromClasspath(3)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                results.add(threads.submit(evaluations(engine, start, allowed, denied, placement)));
            }
            start.countDown();

            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(EVALUATIONS_PER_THREAD);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<Integer> evaluations(
            WasmPolicyEngine engine, CountDownLatch start, String allowed, String denied, String placement) {
        return () -> {
            start.await();
            int correct = 0;
            for (int i = 0; i < EVALUATIONS_PER_THREAD; i++) {
                boolean ok = switch (i % 3) {
                    case 0 -> engine.admit(allowed).allowed();
                    case 1 -> engine.admit(denied).reasons()
                            .equals(List.of("cpu 512 exceeds the limit of 64 per job"));
                    default -> engine.place(placement).eligible().stream()
                            .map(BackendChoice::backendId).toList().equals(List.of("a", "b"));
                };
                correct += ok ? 1 : 0;
            }
            return correct;
        };
    }
}
