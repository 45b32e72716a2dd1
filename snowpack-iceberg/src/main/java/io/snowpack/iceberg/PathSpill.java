package io.snowpack.iceberg;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of files keyed by normalised path that holds at most about {@link #DEFAULT_BUDGET_BYTES} in memory however
 * many files are added: entries are buffered, and a full buffer is sorted and written as a run to a temporary file
 * under {@code java.io.tmpdir}; reading merges the runs and the buffer in path order, one entry per path (the first
 * met wins). At most {@link #MAX_RUNS} runs exist at once (more are merged into one), so the merge's memory is
 * bounded too. {@link #close()} deletes every temporary file, whatever happened.
 */
final class PathSpill implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PathSpill.class);
    /** The in-memory buffer's size (an estimate: Latin-1 strings, 64-bit JVM) before it is spilled. */
    static final long DEFAULT_BUDGET_BYTES = 4L << 20;
    /** Runs merged at once; more runs are first merged into one. */
    static final int MAX_RUNS = 128;
    private static final int READ_BUFFER = 16 << 10;
    /** Object headers and references of one entry and its two strings, beyond the characters. */
    private static final int ENTRY_OVERHEAD = 112;
    private static final Comparator<Entry> BY_PATH = Comparator.comparing(Entry::path);

    /** A file: its normalised path, its location as spelled where it was found, its size ({@code -1}: unknown). */
    record Entry(String path, String location, long size) {
    }

    private final String purpose;
    private final long budget;
    private final List<Entry> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long buffered;
    private long added;
    private long spilled;
    private boolean sealed;

    /** @param purpose names the temporary files and the log lines, e.g. {@code "referenced"} */
    PathSpill(String purpose) {
        this(purpose, DEFAULT_BUDGET_BYTES);
    }

    PathSpill(String purpose, long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budgetBytes must be positive: " + budgetBytes);
        }
        this.purpose = purpose;
        this.budget = budgetBytes;
    }

    void add(String path, String location, long size) {
        if (sealed) {
            throw new IllegalStateException("PathSpill " + purpose + " is being read: nothing can be added");
        }
        buffer.add(new Entry(path, location, size));
        buffered += ENTRY_OVERHEAD + path.length() + location.length();
        added++;
        if (buffered >= budget) {
            spill();
        }
    }

    void add(Entry entry) {
        add(entry.path(), entry.location(), entry.size());
    }

    /** Entries added so far, duplicates included. */
    long added() {
        return added;
    }

    /** Temporary run files currently on disk. */
    int runs() {
        return runs.size();
    }

    /**
     * Every distinct path in order, read once: after this nothing can be added. Close the cursor (closing the spill
     * is enough for its files).
     */
    Cursor sorted() {
        sealed = true;
        buffer.sort(BY_PATH);
        List<Iterator<Entry>> sources = new ArrayList<>();
        List<RunReader> readers = new ArrayList<>();
        try {
            for (Path run : runs) { // oldest first, the buffer last: the first entry added for a path wins
                RunReader reader = new RunReader(run);
                readers.add(reader);
                sources.add(reader);
            }
        } catch (RuntimeException e) {
            readers.forEach(RunReader::close);
            throw e;
        }
        sources.add(buffer.iterator());
        return new Cursor(sources, readers);
    }

    /**
     * Merge-joins two spills: {@code onlyLeft} gets each entry of {@code left} whose path {@code right} lacks,
     * {@code inBoth} each entry of {@code left} whose path {@code right} has, in path order.
     */
    static void join(PathSpill left, PathSpill right, Consumer<Entry> onlyLeft, Consumer<Entry> inBoth) {
        try (Cursor l = left.sorted(); Cursor r = right.sorted()) {
            Entry other = r.hasNext() ? r.next() : null;
            while (l.hasNext()) {
                Entry entry = l.next();
                while (other != null && other.path().compareTo(entry.path()) < 0) {
                    other = r.hasNext() ? r.next() : null;
                }
                if (other != null && other.path().equals(entry.path())) {
                    inBoth.accept(entry);
                } else {
                    onlyLeft.accept(entry);
                }
            }
        }
    }

    private void spill() {
        buffer.sort(BY_PATH);
        Path run = newRun();
        write(run, buffer.iterator());
        spilled += buffer.size();
        LOG.debug("Spilled {} {} paths to run {} ({} added so far)", buffer.size(), purpose, runs.size(), added);
        buffer.clear();
        buffered = 0;
        if (runs.size() >= MAX_RUNS) {
            mergeRuns();
        }
    }

    /** Merges every run into one, so that a merge never opens more than {@link #MAX_RUNS} files. */
    private void mergeRuns() {
        List<Path> merging = new ArrayList<>(runs);
        Path merged = newRun(); // last in the list: moves to the front once the older runs are gone
        List<RunReader> readers = new ArrayList<>();
        try {
            for (Path run : merging) {
                readers.add(new RunReader(run));
            }
            try (Cursor cursor = new Cursor(new ArrayList<>(readers), readers)) {
                write(merged, cursor);
            }
        } finally {
            readers.forEach(RunReader::close);
        }
        for (Path run : merging) {
            delete(run);
            runs.remove(run);
        }
        LOG.info("Merged {} runs of {} paths into one ({} paths spilled so far)", merging.size(), purpose, spilled);
    }

    /** A new empty temporary run, registered first so that {@link #close()} deletes it whatever happens next. */
    private Path newRun() {
        try {
            Path run = Files.createTempFile("snowpack-" + purpose + "-", ".run");
            runs.add(run);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for " + purpose + " paths", e);
        }
    }

    private static void write(Path run, Iterator<Entry> entries) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                READ_BUFFER))) {
            String last = null;
            while (entries.hasNext()) {
                Entry entry = entries.next();
                if (entry.path().equals(last)) {
                    continue;
                }
                last = entry.path();
                out.writeBoolean(true);
                writeString(out, entry.path());
                // the location is mostly a scheme and authority before the path: keep only that prefix on disk
                boolean prefixed = entry.location().endsWith(entry.path());
                out.writeBoolean(prefixed);
                writeString(out, prefixed ? entry.location().substring(0, entry.location().length()
                        - entry.path().length()) : entry.location());
                out.writeLong(entry.size());
            }
            out.writeBoolean(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write temporary run " + run, e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void delete(Path run) {
        try {
            Files.deleteIfExists(run);
        } catch (IOException e) {
            LOG.warn("Cannot delete temporary file {}", run, e);
        }
    }

    /** Deletes every temporary run file. */
    @Override
    public void close() {
        runs.forEach(PathSpill::delete);
        runs.clear();
        buffer.clear();
    }

    /** Distinct paths in order, merged from sorted sources; the first entry met for a path wins. */
    static final class Cursor extends LookAhead implements AutoCloseable {
        private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head h) -> h.entry.path())
                .thenComparingInt(h -> h.order));
        private final List<RunReader> readers;
        private String last;

        private Cursor(List<? extends Iterator<Entry>> sources, List<RunReader> readers) {
            this.readers = readers;
            for (int i = 0; i < sources.size(); i++) {
                Iterator<Entry> source = sources.get(i);
                if (source.hasNext()) {
                    heads.add(new Head(source.next(), source, i));
                }
            }
            prime();
        }

        @Override
        Entry fetch() {
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                if (head.source.hasNext()) {
                    heads.add(new Head(head.source.next(), head.source, head.order));
                }
                if (!head.entry.path().equals(last)) {
                    last = head.entry.path();
                    return head.entry;
                }
            }
            return null;
        }

        @Override
        public void close() {
            readers.forEach(RunReader::close);
        }

        private record Head(Entry entry, Iterator<Entry> source, int order) {
        }
    }

    /** An iterator that holds its next entry before it is asked for it; {@link #fetch()} gives the one after. */
    private abstract static class LookAhead implements Iterator<Entry> {
        private Entry next;

        /** The entry after the last one fetched, or {@code null} when there is none. */
        abstract Entry fetch();

        /** Fetches the first entry; called once, when the source is ready. */
        final void prime() {
            next = fetch();
        }

        @Override
        public final boolean hasNext() {
            return next != null;
        }

        @Override
        public final Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry entry = next;
            next = fetch();
            return entry;
        }
    }

    /** Reads one run file back, entry by entry. */
    private static final class RunReader extends LookAhead {
        private final Path run;
        private final DataInputStream in;

        RunReader(Path run) {
            this.run = run;
            try {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), READ_BUFFER));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read temporary run " + run, e);
            }
            try {
                prime();
            } catch (UncheckedIOException e) {
                close();
                throw e;
            }
        }

        @Override
        Entry fetch() {
            try {
                if (!in.readBoolean()) {
                    return null;
                }
                String path = readString();
                boolean prefixed = in.readBoolean();
                String location = prefixed ? readString() + path : readString();
                return new Entry(path, location, in.readLong());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read temporary run " + run, e);
            }
        }

        private String readString() throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("Cannot close temporary run {}", run, e);
            }
        }
    }
}
