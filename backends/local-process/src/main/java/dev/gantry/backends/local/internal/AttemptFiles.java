package dev.gantry.backends.local.internal;

import dev.gantry.spi.LogStream;
import dev.gantry.spi.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory of one attempt, {@code <data>/runs/<attempt id>}, and the files the backend keeps
 * there: {@code run.properties} (the {@link AttemptRecord}), {@code exit.properties} (the
 * {@link ExitRecord}), {@code stdout.log} and {@code stderr.log}. The job itself gets the
 * {@code work} directory inside it as its home and default working directory, so its files never
 * mix with the backend's records. An attempt with file secrets has them in {@code secrets} while
 * it runs, and nowhere else.
 *
 * <p>Records are replaced atomically: written to a temporary file, forced to disk, renamed over
 * the old one, and the directory forced too, so a crash leaves either the old or the new record.
 */
public final class AttemptFiles {

    private static final String RECORD = "run.properties";
    private static final String EXIT = "exit.properties";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------"));

    private final Path directory;

    /** The files of the attempt whose directory is {@code directory}. */
    public AttemptFiles(Path directory) {
        this.directory = directory;
    }

    /** The attempt's directory. */
    public Path directory() {
        return directory;
    }

    /** The job's own directory: its home, and the base of its working directory. */
    public Path workspace() {
        return directory.resolve("work");
    }

    /** Where the attempt's file secrets are while it runs. */
    public Path secretsDirectory() {
        return directory.resolve("secrets");
    }

    /** The file holding one output stream. */
    public Path log(LogStream stream) {
        return switch (stream) {
            case STDOUT -> directory.resolve("stdout.log");
            case STDERR -> directory.resolve("stderr.log");
        };
    }

    /** One output stream, kept to at most {@code capBytes}. */
    public CappedLog cappedLog(LogStream stream, long capBytes) {
        Path file = log(stream);
        return new CappedLog(file, file.resolveSibling(file.getFileName() + ".truncated"), capBytes);
    }

    /**
     * Creates the attempt directory, readable by its owner only, its workspace, and
     * {@code workingDirectory} inside that. A directory left by a launch that died before writing its record is removed
     * first.
     */
    public void create(Path workingDirectory) throws IOException {
        if (Files.exists(directory)) {
            delete();
        }
        Files.createDirectory(directory, OWNER_ONLY);
        Files.createDirectory(workspace());
        Files.createDirectories(workingDirectory);
    }

    /**
     * Creates the secrets directory, which only the owner may enter, and writes each secret to the
     * file of its name there, readable by the owner only. Each file is created with those
     * permissions, so the value is never readable by anyone else, not even for a moment. Nothing
     * is forced to disk: the files are removed when the attempt ends and must not outlive it.
     */
    public void writeSecrets(List<Secret> secrets) throws IOException {
        Path secretsDirectory = Files.createDirectory(secretsDirectory(), OWNER_ONLY);
        for (Secret secret : secrets) {
            Path file = secretsDirectory.resolve(secret.name());
            try (SeekableByteChannel channel = Files.newByteChannel(
                    file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_READ_ONLY)) {
                ByteBuffer value = ByteBuffer.wrap(secret.value().getBytes(StandardCharsets.UTF_8));
                while (value.hasRemaining()) {
                    channel.write(value);
                }
            }
        }
    }

    /** Removes the secrets directory and everything in it, if there is one. */
    public void deleteSecrets() throws IOException {
        deleteTree(secretsDirectory());
    }

    /** Whether a launch wrote its record here. */
    public boolean hasRecord() {
        return Files.exists(directory.resolve(RECORD));
    }

    /** Whether the attempt's end was recorded. */
    public boolean hasExit() {
        return Files.exists(directory.resolve(EXIT));
    }

    /** Replaces the attempt record. */
    public void writeRecord(AttemptRecord record) throws IOException {
        writeAtomically(directory.resolve(RECORD), record.toProperties());
    }

    /** The attempt record, if a launch wrote one. */
    public Optional<AttemptRecord> readRecord() throws IOException {
        return read(directory.resolve(RECORD)).map(AttemptRecord::fromProperties);
    }

    /** Records the attempt's end. */
    public void writeExit(ExitRecord exit) throws IOException {
        writeAtomically(directory.resolve(EXIT), exit.toProperties());
    }

    /** The recorded end of the attempt, if it has ended. */
    public Optional<ExitRecord> readExit() throws IOException {
        return read(directory.resolve(EXIT)).map(ExitRecord::fromProperties);
    }

    /** Removes the attempt directory and everything in it. */
    public void delete() throws IOException {
        deleteTree(directory);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(root)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }

    private static Optional<Properties> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Properties properties = new Properties();
            properties.load(in);
            return Optional.of(properties);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void writeAtomically(Path target, Properties properties) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, null);
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes.toByteArray()));
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        }
    }
}
