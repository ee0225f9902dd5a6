package dev.gantry.backends.local.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.Map;

/**
 * The few functions of the GNU C library the backend calls directly, bound through JNA. Constants
 * are the Linux values, identical on x86_64 and aarch64. Functions that report failure through
 * {@code errno} leave it in {@link Native#getLastError()}; the {@code posix_spawn} family returns
 * the error number instead.
 */
public interface LibC extends Library {

    /** The bound library; strings cross as UTF-8. */
    LibC INSTANCE = Native.load("c", LibC.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));

    int ENOENT = 2;
    int ESRCH = 3;
    int EINTR = 4;
    int ENOEXEC = 8;
    int EAGAIN = 11;
    int ENOMEM = 12;
    int EACCES = 13;
    int ENOTDIR = 20;
    int EISDIR = 21;
    int ENFILE = 23;
    int EMFILE = 24;

    int SIGKILL = 9;
    int SIGTERM = 15;

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CREAT = 0x40;
    int O_APPEND = 0x400;

    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    short POSIX_SPAWN_SETSID = 0x80;

    long SYS_PIDFD_OPEN = 434;

    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EPOLLIN = 0x001;

    int EFD_CLOEXEC = 0x80000;
    int EFD_NONBLOCK = 0x800;

    int posix_spawn(
            IntByReference pid, String path, Pointer fileActions, Pointer attributes, Pointer argv, Pointer envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowestFd);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer signals);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

    int sigemptyset(Pointer signals);

    int sigfillset(Pointer signals);

    int kill(int pid, int signal);

    int waitpid(int pid, IntByReference status, int options);

    long syscall(long number, Object... arguments);

    int epoll_create1(int flags);

    int epoll_ctl(int epollFd, int operation, int fd, Pointer event);

    int epoll_wait(int epollFd, Pointer events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    long write(int fd, Pointer buffer, long count);

    int close(int fd);

    String strerror(int errorNumber);
}
