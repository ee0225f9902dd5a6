package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.spi.Capacity;
import dev.gantry.spi.Resources;
import org.junit.jupiter.api.Test;

class ResourceLedgerTest {

    private static final Resources TOTAL = new Resources(2, 1000, 0);

    @Test
    void reservationTakesResourcesAndASlot() {
        ResourceLedger ledger = new ResourceLedger(TOTAL, 3);

        boolean reserved = ledger.reserve(new Resources(0.5, 100, 0));

        assertThat(reserved).isTrue();
        assertThat(ledger.capacity()).isEqualTo(new Capacity(new Resources(1.5, 900, 0), TOTAL, 2, 3));
    }

    @Test
    void reservationBeyondFreeIsRefusedAndTakesNothing() {
        ResourceLedger ledger = new ResourceLedger(TOTAL, 3);
        ledger.reserve(new Resources(1.5, 0, 0));

        boolean reserved = ledger.reserve(new Resources(1, 0, 0));

        assertThat(reserved).isFalse();
        assertThat(ledger.capacity().freeSlots()).isEqualTo(2);
    }

    @Test
    void fullSlotsRefuseEvenAnEmptyRequest() {
        ResourceLedger ledger = new ResourceLedger(TOTAL, 1);
        ledger.reserve(Resources.NONE);

        assertThat(ledger.reserve(Resources.NONE)).isFalse();
    }

    @Test
    void fractionalCoresReturnExactlyToTheTotal() {
        ResourceLedger ledger = new ResourceLedger(TOTAL, 100);
        Resources tenth = new Resources(0.1, 0, 0);
        for (int i = 0; i < 7; i++) {
            ledger.reserve(tenth);
        }

        for (int i = 0; i < 7; i++) {
            ledger.release(tenth);
        }

        assertThat(ledger.capacity().free()).isEqualTo(TOTAL);
    }
}
