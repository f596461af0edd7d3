package dev.flywheel.registry.artifact;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.flywheel.registry.system.Sha256;

/** Upload bodies for the store tests, and reading a stored file back. */
final class ArtifactBodies {

	private static final Random RANDOM = new Random(42);

	private ArtifactBodies() {
	}

	static byte[] random(int size) {
		byte[] bytes = new byte[size];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	/** {@code bytes} as a request body would arrive: in buffers of {@code chunk} bytes. */
	static Flux<DataBuffer> body(byte[] bytes, int chunk) {
		int chunks = (bytes.length + chunk - 1) / chunk;
		return Flux.range(0, chunks)
			.map(i -> DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(bytes, i * chunk, Math.min(bytes.length, (i + 1) * chunk))));
	}

	static byte[] read(ArtifactStore store, ArtifactPath path) {
		DataBuffer joined = DataBufferUtils.join(store.read(path))
			.defaultIfEmpty(DefaultDataBufferFactory.sharedInstance.allocateBuffer(0))
			.block(Duration.ofSeconds(30));
		byte[] bytes = new byte[joined.readableByteCount()];
		joined.read(bytes);
		DataBufferUtils.release(joined);
		return bytes;
	}

	static String sha256(byte[] bytes) {
		MessageDigest digest = Sha256.newDigest();
		digest.update(bytes);
		return HexFormat.of().formatHex(digest.digest());
	}

}
