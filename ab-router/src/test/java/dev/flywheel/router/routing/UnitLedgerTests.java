package dev.flywheel.router.routing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnitLedgerTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void aUnitIsHashedToTheSameValueInEveryVersion() {
		// stored as the key of ab_test_unit: a change would count every returning unit of a running test again
		assertThat(UnitLedger.hash("user-42")).isEqualTo(UnitLedger.hash(new String("user-42")))
			.isEqualTo(PINNED_USER_42);
		assertThat(UnitLedger.hash("user-43")).isNotEqualTo(UnitLedger.hash("user-42"));
	}

	private static final long PINNED_USER_42 = 3126448129587548892L;

	@Test
	void aReturningUnitIsNotedOnce() {
		UnitLedger ledger = new UnitLedger(1000, meters);
		for (int round = 0; round < 3; round++) {
			for (int unit = 0; unit < 100; unit++) {
				ledger.assigned("test-1", "a", "unit-" + unit);
			}
		}
		assertThat(ledger.waiting()).isEqualTo(100);
	}

	@Test
	void theSameUnitInAnotherTestIsNotedThere() {
		UnitLedger ledger = new UnitLedger(1000, meters);
		ledger.assigned("test-1", "a", "unit-1");
		ledger.assigned("test-2", "b", "unit-1");
		ledger.assigned("test-1", "a", "unit-1");
		assertThat(ledger.waiting()).isEqualTo(2);
	}

	@Test
	void pastTheLimitUnitsAreNotCountedAndSaySo() {
		UnitLedger ledger = new UnitLedger(10, meters);
		for (int unit = 0; unit < 15; unit++) {
			ledger.assigned("test-1", "a", "unit-" + unit);
		}
		assertThat(ledger.waiting()).isEqualTo(10);
		assertThat(meters.get("flywheel_router_units_uncounted").counter().count()).isEqualTo(5);
		// one not counted is not taken for seen: it is noted when it comes back and there is room
		ledger.assigned("test-1", "a", "unit-14");
		assertThat(ledger.waiting()).isEqualTo(10);
		assertThat(meters.get("flywheel_router_units_uncounted").counter().count()).isEqualTo(6);
	}

}
