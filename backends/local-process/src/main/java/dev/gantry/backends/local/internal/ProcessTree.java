package dev.gantry.backends.local.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The processes descending from one process, as {@code /proc} shows them at one moment. */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * The children of {@code pid}, their children and so on, found by their parent pids. A process
     * whose parent ended before this call was reparented and is not found.
     */
    public static Set<Integer> descendants(int pid) throws IOException {
        Map<Integer, List<Integer>> childrenByParent = childrenByParent();
        Set<Integer> found = new LinkedHashSet<>();
        Deque<Integer> toVisit = new ArrayDeque<>(List.of(pid));
        while (!toVisit.isEmpty()) {
            for (int child : childrenByParent.getOrDefault(toVisit.pop(), List.of())) {
                if (found.add(child)) {
                    toVisit.push(child);
                }
            }
        }
        return found;
    }

    private static Map<Integer, List<Integer>> childrenByParent() throws IOException {
        List<Integer> pids;
        try (Stream<Path> entries = Files.list(PROC)) {
            pids = entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf)
                    .toList();
        }
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (int pid : pids) {
            Optional<ProcStat> stat = ProcStat.read(pid);
            stat.ifPresent(found -> children.computeIfAbsent(found.parentPid(), parent -> new ArrayList<>()).add(pid));
        }
        return children;
    }
}
