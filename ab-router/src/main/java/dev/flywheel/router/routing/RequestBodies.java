package dev.flywheel.router.routing;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** Reads a request's whole body, up to a limit, without reading on past it. */
final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * The request's body (empty when it has none); fails with {@link TooLargeException} when its
	 * {@code Content-Length}, or what arrives, is over {@code max} bytes.
	 */
	static Mono<byte[]> read(HttpServerRequest request, int max) {
		String length = request.requestHeaders().get("Content-Length");
		if (length != null && isOver(length, max)) {
			return Mono.error(new TooLargeException());
		}
		return request.receive().asByteArray().collect(() -> new Chunks(max), Chunks::add).map(Chunks::bytes);
	}

	private static boolean isOver(String length, int max) {
		try {
			return Long.parseLong(length.strip()) > max;
		}
		catch (NumberFormatException ex) {
			return false; // Netty's decoder refuses a malformed Content-Length before the request gets here
		}
	}

	/** The body's chunks so far; most bodies come in one. */
	private static final class Chunks {

		private final int max;

		private final List<byte[]> chunks = new ArrayList<>(1);

		private int size;

		Chunks(int max) {
			this.max = max;
		}

		void add(byte[] chunk) {
			size += chunk.length;
			if (size > max || size < 0) {
				throw new TooLargeException();
			}
			chunks.add(chunk);
		}

		byte[] bytes() {
			if (chunks.size() == 1) {
				return chunks.get(0);
			}
			byte[] bytes = new byte[size];
			int at = 0;
			for (byte[] chunk : chunks) {
				System.arraycopy(chunk, 0, bytes, at, chunk.length);
				at += chunk.length;
			}
			return bytes;
		}

	}

	/** The body is over the limit. */
	static final class TooLargeException extends RuntimeException {

		TooLargeException() {
			super(null, null, false, false);
		}

	}

}
