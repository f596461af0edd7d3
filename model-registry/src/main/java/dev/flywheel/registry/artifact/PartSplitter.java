package dev.flywheel.registry.artifact;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Cuts a stream of buffers into parts of one size, the last one shorter. Bytes are copied into heap arrays and each
 * buffer is released at once, so a pooled request buffer is never held while a part waits to be sent. A part's array
 * grows with its content, so a small body never allocates a whole part.
 */
final class PartSplitter {

	/** Buffers requested ahead of the part being filled: with network buffers of 8-64 KB, at most about 1 MB. */
	private static final int PREFETCH = 16;

	private static final int INITIAL_CAPACITY = 64 * 1024;

	private final int partSize;

	private final Consumer<DataBuffer> inspect;

	private byte[] current = new byte[0];

	private int filled;

	private PartSplitter(int partSize, Consumer<DataBuffer> inspect) {
		this.partSize = partSize;
		this.inspect = inspect;
	}

	/**
	 * The parts of {@code content}; none for an empty body. Each buffer is first shown to {@code inspect}, which may
	 * throw to end the stream with that error. Buffers left unread on error or cancel are released.
	 */
	static Flux<ByteBuffer> split(Flux<DataBuffer> content, int partSize, Consumer<DataBuffer> inspect) {
		return Flux.defer(() -> {
			PartSplitter splitter = new PartSplitter(partSize, inspect);
			return content.concatMapIterable(splitter::add, PREFETCH).concatWith(Flux.defer(splitter::rest));
		}).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
	}

	private List<ByteBuffer> add(DataBuffer buffer) {
		try {
			inspect.accept(buffer);
			List<ByteBuffer> full = new ArrayList<>(1);
			int readable;
			while ((readable = buffer.readableByteCount()) > 0) {
				int length = Math.min(readable, partSize - filled);
				ensureCapacity(filled + length);
				buffer.read(current, filled, length);
				filled += length;
				if (filled == partSize) {
					full.add(ByteBuffer.wrap(current));
					current = new byte[0];
					filled = 0;
				}
			}
			return full;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private Flux<ByteBuffer> rest() {
		return filled == 0 ? Flux.empty() : Flux.just(ByteBuffer.wrap(current, 0, filled));
	}

	private void ensureCapacity(int needed) {
		if (needed > current.length) {
			int grown = Math.max(needed, Math.max(INITIAL_CAPACITY, current.length * 2));
			current = Arrays.copyOf(current, Math.min(partSize, grown));
		}
	}

}
