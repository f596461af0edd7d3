package dev.flywheel.inference.api;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

import dev.flywheel.inference.serving.InferenceException;

/**
 * Reads a request body whatever its declared content type (clients such as {@code curl -d} send JSON as a form), up
 * to a limit: a body declared or found larger gets 413 without being buffered.
 */
public final class RequestBodies {

	private RequestBodies() {
	}

	public static Mono<byte[]> read(ServerHttpRequest request, long maxBytes) {
		long declared = request.getHeaders().getContentLength();
		if (declared > maxBytes) {
			return Mono.error(tooLarge(maxBytes));
		}
		return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes))
			.map(buffer -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.onErrorMap(DataBufferLimitException.class, ex -> tooLarge(maxBytes))
			.defaultIfEmpty(new byte[0]);
	}

	private static InferenceException tooLarge(long maxBytes) {
		return InferenceException.tooLarge("The request body is over the limit of " + maxBytes
				+ " bytes (flywheel.inference.limits.max-request-size)");
	}

}
