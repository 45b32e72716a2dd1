package io.snowpack.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lease arithmetic every backend's locks and leadership share. */
class LeaseTest {
    private static final Instant T0 = Instant.parse("2026-04-25T12:00:00Z");
    private static final Lease LEASE = new Lease("db.t", "job-a", 7, T0, T0.plusSeconds(60));

    @Test
    void aLeaseHasExpiredFromItsExpiryOn() {
        assertThat(LEASE.isExpiredAt(T0.plusSeconds(59))).isFalse();
        assertThat(LEASE.isExpiredAt(T0.plusSeconds(60))).as("the expiry instant itself").isTrue();
        assertThat(LEASE.isExpiredAt(T0.plusSeconds(61))).isTrue();
    }

    @Test
    void aRenewalKeepsTheTermAndItsStart() {
        Lease renewed = LEASE.renewedAt(T0.plusSeconds(45), Duration.ofSeconds(60));

        assertThat(renewed).isEqualTo(new Lease("db.t", "job-a", 7, T0, T0.plusSeconds(105)));
        assertThat(renewed.isSameTermAs(LEASE)).isTrue();
    }

    @Test
    void theSameTermIsTheSameKeyHolderAndFence() {
        assertThat(LEASE.isSameTermAs(null)).isFalse();
        assertThat(LEASE.isSameTermAs(new Lease("db.u", "job-a", 7, T0, T0))).isFalse();
        assertThat(LEASE.isSameTermAs(new Lease("db.t", "job-b", 7, T0, T0))).isFalse();
        assertThat(LEASE.isSameTermAs(new Lease("db.t", "job-a", 8, T0, T0))).isFalse();
        assertThat(LEASE.isSameTermAs(new Lease("db.t", "job-a", 7, T0.minusSeconds(1), T0))).isTrue();
    }

    @Test
    void aTtlMustBePositive() {
        assertThat(Lease.requirePositive(Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
        for (Duration ttl : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> Lease.requirePositive(ttl)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> LEASE.renewedAt(T0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
