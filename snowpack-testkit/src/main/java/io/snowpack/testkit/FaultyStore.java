package io.snowpack.testkit;

import io.snowpack.core.BackendException;
import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Completion;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.JobStore;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.LockManager;
import io.snowpack.core.spi.OrchestratorRunLog;
import io.snowpack.core.spi.SettingsStore;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.StartedJob;
import io.snowpack.core.spi.Stores;
import io.snowpack.core.spi.Subscription;
import io.snowpack.core.spi.TableCache;
import io.snowpack.core.spi.TransactionWork;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real backend seen through a database that can fail on demand. Every call on its stores, every unit of work
 * and {@link #now()} reach the backend unchanged, except that:
 * <ul>
 *   <li>while {@link #goDown() down}, each of them throws a {@link BackendException} instead, as a database that
 *       went away does (nothing reaches the backend); while {@link #hang() hanging}, each of them waits until
 *       {@link #comeBack()}, as a database that stopped answering does;</li>
 *   <li>{@link #failUnitsOfWork(int)} makes the next units of work throw before they start, and
 *       {@link #failNext(String, int)} the next calls of one store method (inside a unit of work, that unit
 *       of work is then undone);</li>
 *   <li>{@link #holdClaims()} makes the next claim wait, after the backend made it, until
 *       {@link #releaseClaims()}: a claim in flight; {@link #hold(String)} does the same to the next call of any
 *       store method (inside a unit of work, that unit of work then waits half done);</li>
 *   <li>{@link #holdSettles()} makes the next settle of ended jobs ({@link #completeJobs}) wait before it reaches
 *       the backend, until {@link #releaseSettles()}: a settle whose commit is slow;</li>
 *   <li>{@link #overClaimNext(int)} makes the next claim start more jobs than it was asked for.</li>
 * </ul>
 * It also counts the calls that threw, injected or not, per method name. Thread-safe.
 */
public final class FaultyStore implements SnowpackStore {
    private final SnowpackStore backend;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger unitsOfWorkToFail = new AtomicInteger();
    private final AtomicInteger overClaims = new AtomicInteger();
    private final Map<String, AtomicInteger> callsToFail = new ConcurrentHashMap<>();
    private volatile String heldMethod = "claim";
    private final Hold claimHold = new Hold("claim");
    private volatile boolean down;
    private volatile CountDownLatch hanging;
    private final Hold settleHold = new Hold("settle");
    private final List<JobId> claimed = new CopyOnWriteArrayList<>();

    public FaultyStore(SnowpackStore backend) {
        this.backend = backend;
    }

    /** Every call fails from now on, until {@link #comeBack()}. */
    public void goDown() {
        down = true;
    }

    /** Every call waits from now on, until {@link #comeBack()}. */
    public void hang() {
        hanging = new CountDownLatch(1);
    }

    /** Ends an outage or a hang: calls reach the backend again, and hanging calls go on. */
    public void comeBack() {
        down = false;
        CountDownLatch hang = hanging;
        hanging = null;
        if (hang != null) {
            hang.countDown();
        }
    }

    /** The next {@code count} units of work throw a {@link BackendException} before they start. */
    public void failUnitsOfWork(int count) {
        unitsOfWorkToFail.set(count);
    }

    /** The next {@code count} calls of the store method {@code method} (e.g. {@code "complete"}) throw. */
    public void failNext(String method, int count) {
        callsToFail.put(method, new AtomicInteger(count));
    }

    /**
     * The next {@link #claimAndStart} claims {@code extra} jobs more than it was asked for, as a defective backend
     * (or a claim statement that reads its candidates more than once) would.
     */
    public void overClaimNext(int extra) {
        if (extra < 1) {
            throw new IllegalArgumentException("extra must be >= 1, got " + extra);
        }
        overClaims.set(extra);
    }

    /** The next claim waits, once the backend has made it, until {@link #releaseClaims()}. */
    public void holdClaims() {
        hold("claim");
    }

    /**
     * The next call of the store method {@code method} waits, once the backend has answered it, until
     * {@link #releaseClaims()}; {@link #awaitHeldClaim()} waits for it to arrive.
     */
    public void hold(String method) {
        heldMethod = method;
        claimHold.arm();
    }

    /** Waits until a claim is held by {@link #holdClaims()}. */
    public void awaitHeldClaim() throws InterruptedException {
        claimHold.awaitArrival();
    }

    public void releaseClaims() {
        claimHold.release();
    }

    /** The next {@link #completeJobs} waits, before it reaches the backend, until {@link #releaseSettles()}. */
    public void holdSettles() {
        settleHold.arm();
    }

    /** Waits until a settle is held by {@link #holdSettles()}. */
    public void awaitHeldSettle() throws InterruptedException {
        settleHold.awaitArrival();
    }

    public void releaseSettles() {
        settleHold.release();
    }

    /** How many calls of {@code method} (e.g. {@code "claim"}, {@code "inTransaction"}) have thrown so far. */
    public int failures(String method) {
        AtomicInteger count = failures.get(method);
        return count == null ? 0 : count.get();
    }

    /** Waits until {@code method} has thrown at least {@code count} times. */
    public void awaitFailures(String method, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (failures) {
            while (failures(method) < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(method + " failed " + failures(method) + " times, not " + count);
                }
                failures.wait(left);
            }
        }
    }

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
        return call("inTransaction", () -> {
            if (unitsOfWorkToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw unreachable();
            }
            return backend.inTransaction(stores -> work.run(wrap(stores)));
        });
    }

    @Override
    public List<StartedJob> claimAndStart(String workerId, int max, Duration lockTtl) {
        List<StartedJob> started = SnowpackStore.super.claimAndStart(workerId, max + overClaims.getAndSet(0), lockTtl);
        started.forEach(job -> claimed.add(job.job().jobId()));
        return started;
    }

    /** The jobs {@link #claimAndStart} returned so far, in the order it returned them. */
    public List<JobId> claimed() {
        return List.copyOf(claimed);
    }

    /** Settles through this store's units of work, so that injected faults reach it; {@link #holdSettles} first. */
    @Override
    public Set<JobId> completeJobs(Collection<Completion> completions) {
        try {
            settleHold.holdIfArmed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the settle was held", e);
        }
        return SnowpackStore.super.completeJobs(completions);
    }

    @Override
    public Instant now() {
        return call("now", backend::now);
    }

    @Override
    public Subscription onJobsReady(Runnable listener) {
        return backend.onJobsReady(listener);
    }

    @Override
    public JobQueue queue() {
        return proxy(JobQueue.class, backend.queue());
    }

    @Override
    public LockManager locks() {
        return proxy(LockManager.class, backend.locks());
    }

    @Override
    public JobStore jobs() {
        return proxy(JobStore.class, backend.jobs());
    }

    @Override
    public TableCache tables() {
        return proxy(TableCache.class, backend.tables());
    }

    @Override
    public LeaderElector leaders() {
        return proxy(LeaderElector.class, backend.leaders());
    }

    @Override
    public SettingsStore settings() {
        return proxy(SettingsStore.class, backend.settings());
    }

    @Override
    public OrchestratorRunLog orchestratorRuns() {
        return proxy(OrchestratorRunLog.class, backend.orchestratorRuns());
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "FaultyStore{" + backend + "}";
    }

    private Stores wrap(Stores stores) {
        return new Stores() {
            @Override
            public JobQueue queue() {
                return proxy(JobQueue.class, stores.queue());
            }

            @Override
            public LockManager locks() {
                return proxy(LockManager.class, stores.locks());
            }

            @Override
            public JobStore jobs() {
                return proxy(JobStore.class, stores.jobs());
            }

            @Override
            public TableCache tables() {
                return proxy(TableCache.class, stores.tables());
            }

            @Override
            public LeaderElector leaders() {
                return proxy(LeaderElector.class, stores.leaders());
            }

            @Override
            public SettingsStore settings() {
                return proxy(SettingsStore.class, stores.settings());
            }

            @Override
            public OrchestratorRunLog orchestratorRuns() {
                return proxy(OrchestratorRunLog.class, stores.orchestratorRuns());
            }
        };
    }

    private <S> S proxy(Class<S> type, S target) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            Object result = call(method.getName(), () -> {
                AtomicInteger toFail = callsToFail.get(method.getName());
                if (toFail != null && toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw unreachable();
                }
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
            if (method.getName().equals(heldMethod)) {
                claimHold.holdIfArmed();
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * One call held on demand: {@link #arm()} makes the next call that passes {@link #holdIfArmed()} wait until
     * {@link #release()}; {@link #awaitArrival()} waits for it to get there.
     */
    private static final class Hold {
        private final String what;
        private final AtomicReference<CountDownLatch> armed = new AtomicReference<>();
        private final CountDownLatch arrived = new CountDownLatch(1);
        private volatile CountDownLatch holding;

        Hold(String what) {
            this.what = what;
        }

        void arm() {
            armed.set(new CountDownLatch(1));
        }

        void holdIfArmed() throws InterruptedException {
            CountDownLatch gate = armed.getAndSet(null);
            if (gate != null) {
                holding = gate;
                arrived.countDown();
                gate.await();
            }
        }

        void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no " + what + " arrived");
            }
        }

        void release() {
            CountDownLatch pending = armed.getAndSet(null);
            if (pending != null) {
                pending.countDown();
            }
            CountDownLatch held = holding;
            if (held != null) {
                held.countDown();
            }
        }
    }

    /** A call of {@code method}: refused while down; any throw is counted. */
    private <T> T call(String method, ThrowingCall<T> body) {
        try {
            CountDownLatch hang = hanging;
            if (hang != null) {
                hang.await();
            }
            if (down) {
                throw unreachable();
            }
            return body.call();
        } catch (Throwable e) {
            failures.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            synchronized (failures) {
                failures.notifyAll();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e);
        }
    }

    private static BackendException unreachable() {
        return new BackendException("Database call failed: connection refused (injected by FaultyStore)", null);
    }

    @FunctionalInterface
    private interface ThrowingCall<T> {
        T call() throws Throwable;
    }
}
