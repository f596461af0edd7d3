package dev.flywheel.inference.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Random (version 4) UUIDs for predictions, drawn without the lock of {@link UUID#randomUUID()}'s SecureRandom. */
public final class PredictionIds {

	private PredictionIds() {
	}

	public static List<String> next(int count) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long high = (random.nextLong() & ~0xF000L) | 0x4000L;
			long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
			ids.add(new UUID(high, low).toString());
		}
		return ids;
	}

}
