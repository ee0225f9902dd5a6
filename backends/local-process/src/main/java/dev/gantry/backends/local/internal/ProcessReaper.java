package dev.gantry.backends.local.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns of the end of any number of processes with one thread: each watched process gets a
 * pidfd, and the thread waits on all of them at once with epoll. When one becomes readable the
 * process has ended and its callback runs on the reaper thread.
 *
 * <p>The reaper itself never calls {@code wait}: the callback collects the exit status of exactly
 * the process it watched, so children that other code of the JVM started (with
 * {@link ProcessBuilder}, say) are never taken from their owners. A pidfd also pins the process
 * id, so a callback that reaps the process cannot hit a recycled pid.
 */
public final class ProcessReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);
    private static final LibC LIBC = LibC.INSTANCE;
    private static final int MAX_EVENTS = 64;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    // struct epoll_event is packed on x86, so its 64-bit data field starts at offset 4 there.
    private static final int EVENT_BYTES = Platform.isIntel() ? 12 : 16;
    private static final int EVENT_DATA_OFFSET = Platform.isIntel() ? 4 : 8;

    private final int epollFd;
    private final int wakeFd;
    private final Map<Integer, Runnable> callbacks = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private ProcessReaper(int epollFd, int wakeFd, String threadName) {
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Creates a reaper and starts its thread, named {@code threadName}. */
    public static ProcessReaper start(String threadName) throws NativeCallException {
        int epollFd = LIBC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epollFd < 0) {
            throw new NativeCallException("epoll_create1", Native.getLastError());
        }
        int wakeFd = LIBC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int errorNumber = Native.getLastError();
            LIBC.close(epollFd);
            throw new NativeCallException("eventfd", errorNumber);
        }
        ProcessReaper reaper = new ProcessReaper(epollFd, wakeFd, threadName);
        try {
            reaper.register(wakeFd);
        } catch (NativeCallException e) {
            reaper.closeDescriptors();
            throw e;
        }
        reaper.thread.start();
        return reaper;
    }

    /**
     * Runs {@code onExit} once, on the reaper thread, when process {@code pid} has ended; at once
     * when it already has. The process must exist when this is called, as a live process or an
     * unreaped zombie, otherwise this fails with {@code ESRCH}.
     */
    public void watch(int pid, Runnable onExit) throws NativeCallException {
        if (closed) {
            throw new IllegalStateException("the reaper is closed");
        }
        int pidFd = (int) LIBC.syscall(LibC.SYS_PIDFD_OPEN, (long) pid, 0L);
        if (pidFd < 0) {
            throw new NativeCallException("pidfd_open", Native.getLastError());
        }
        callbacks.put(pidFd, onExit);
        try {
            register(pidFd);
        } catch (NativeCallException e) {
            callbacks.remove(pidFd);
            LIBC.close(pidFd);
            throw e;
        }
    }

    /** Stops the reaper thread and releases its descriptors; watched processes are left alone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        if (Thread.currentThread() != thread) {
            awaitThreadEnd();
        }
        closeDescriptors();
    }

    private void register(int fd) throws NativeCallException {
        try (Memory event = new Memory(EVENT_BYTES)) {
            event.clear();
            event.setInt(0, LibC.EPOLLIN);
            event.setLong(EVENT_DATA_OFFSET, fd);
            if (LIBC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event) != 0) {
                throw new NativeCallException("epoll_ctl", Native.getLastError());
            }
        }
    }

    private void run() {
        try (Memory events = new Memory((long) EVENT_BYTES * MAX_EVENTS)) {
            while (!closed) {
                int count = LIBC.epoll_wait(epollFd, events, MAX_EVENTS, -1);
                if (count < 0 && !keepWaitingAfter(Native.getLastError())) {
                    return;
                }
                for (int i = 0; i < count; i++) {
                    dispatch((int) events.getLong((long) i * EVENT_BYTES + EVENT_DATA_OFFSET));
                }
            }
        }
    }

    private boolean keepWaitingAfter(int errorNumber) {
        if (errorNumber == LibC.EINTR) {
            return true;
        }
        if (!closed) {
            LOG.error("process reaper stopped", new NativeCallException("epoll_wait", errorNumber));
        }
        return false;
    }

    private void dispatch(int fd) {
        Runnable onExit = callbacks.remove(fd);
        if (onExit == null) {
            return;
        }
        LIBC.epoll_ctl(epollFd, LibC.EPOLL_CTL_DEL, fd, null);
        LIBC.close(fd);
        try {
            onExit.run();
        } catch (RuntimeException e) {
            // The thread serves every other process too, so one failing callback must not end it.
            LOG.error("process exit handling failed", e);
        }
    }

    private void wake() {
        try (Memory one = new Memory(Long.BYTES)) {
            one.setLong(0, 1);
            LIBC.write(wakeFd, one, Long.BYTES);
        }
    }

    private void awaitThreadEnd() {
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeDescriptors() {
        callbacks.keySet().forEach(LIBC::close);
        callbacks.clear();
        LIBC.close(wakeFd);
        LIBC.close(epollFd);
    }
}
