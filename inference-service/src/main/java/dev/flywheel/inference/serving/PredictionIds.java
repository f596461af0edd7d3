package dev.flywheel.inference.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Prediction ids: version 7 UUIDs (RFC 9562), 48 bits of Unix time in milliseconds followed by 74 random bits, drawn
 * without the lock of {@link UUID#randomUUID()}'s SecureRandom. Being ordered by time, the ids of a busy service land
 * next to each other in the B-tree indexes of whoever stores them (the router's and monitoring's prediction tables),
 * where random ids would touch a different page with every row.
 */
public final class PredictionIds {

	private PredictionIds() {
	}

	public static List<String> next(int count) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
			long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
			ids.add(new UUID(high, low).toString());
		}
		return ids;
	}

}
