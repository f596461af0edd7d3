package dev.flywheel.inference.serving;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionIdsTests {

	@Test
	void idsAreVersion7UuidsCarryingTheTimeTheyWereMadeAt() {
		long before = System.currentTimeMillis();
		List<String> ids = PredictionIds.next(1000);
		long after = System.currentTimeMillis();
		Set<String> distinct = new HashSet<>(ids);
		assertThat(distinct).hasSize(1000);
		for (String id : ids) {
			UUID uuid = UUID.fromString(id);
			assertThat(uuid.version()).isEqualTo(7);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
		}
	}

	@Test
	void idsMadeLaterSortAfterEarlierOnes() throws InterruptedException {
		String earlier = PredictionIds.next(1).get(0);
		Thread.sleep(2);
		String later = PredictionIds.next(1).get(0);
		assertThat(later).isGreaterThan(earlier);
	}

}
