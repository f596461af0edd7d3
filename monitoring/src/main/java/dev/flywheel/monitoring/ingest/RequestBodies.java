package dev.flywheel.monitoring.ingest;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

import dev.flywheel.monitoring.system.MonitoringProperties;

/** Reads a post's whole body, up to {@code flywheel.monitoring.max-request-size} (413 past it). */
@Component
public class RequestBodies {

	private final int maxBytes;

	public RequestBodies(MonitoringProperties properties) {
		this.maxBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
	}

	public Mono<byte[]> read(ServerWebExchange exchange) {
		return DataBufferUtils.join(exchange.getRequest().getBody(), maxBytes)
			.map(buffer -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.defaultIfEmpty(new byte[0])
			.onErrorMap(DataBufferLimitException.class, ex -> new BodyTooLargeException(
					"The body is over " + maxBytes + " bytes (flywheel.monitoring.max-request-size): send smaller "
							+ "batches"));
	}

	/** A body over the limit. */
	public static class BodyTooLargeException extends RuntimeException {

		BodyTooLargeException(String message) {
			super(message);
		}

	}

}
