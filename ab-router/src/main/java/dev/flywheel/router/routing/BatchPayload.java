package dev.flywheel.router.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The predictions of one {@code routed_batch} row as bytes: what a feedback lookup decodes to find a prediction among
 * the few batches its id's time points to. Format 1: a format byte, the number of entries (a varint), then per entry
 * the id's 16 bytes (big-endian, as {@link TimeOrderedId#high()} then {@link TimeOrderedId#low()}), the prediction's
 * time as a varint of milliseconds after the batch's {@code predicted_at}, and the predicted label as a varint of its
 * UTF-8 length plus one (0 for none) followed by its bytes. About 20 bytes a prediction of a classifier.
 */
public final class BatchPayload {

	private static final int FORMAT = 1;

	private BatchPayload() {
	}

	/**
	 * A prediction of a batch.
	 *
	 * @param predictedAt when the router answered it (epoch ms)
	 * @param predicted its predicted label, or null
	 */
	public record Entry(TimeOrderedId id, long predictedAt, String predicted) {
	}

	/** The entries as bytes; every {@code predictedAt} must be at or after {@code since}. */
	public static byte[] encode(long since, List<Entry> entries) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(4 + entries.size() * 24);
		out.write(FORMAT);
		writeVarint(out, entries.size());
		byte[] id = new byte[16];
		for (Entry entry : entries) {
			if (entry.predictedAt() < since) {
				throw new IllegalArgumentException("A prediction at " + entry.predictedAt() + " before its batch, "
						+ since);
			}
			ByteBuffer.wrap(id).putLong(entry.id().high()).putLong(entry.id().low());
			out.writeBytes(id);
			writeVarint(out, entry.predictedAt() - since);
			if (entry.predicted() == null) {
				writeVarint(out, 0);
			}
			else {
				byte[] label = entry.predicted().getBytes(StandardCharsets.UTF_8);
				writeVarint(out, label.length + 1L);
				out.writeBytes(label);
			}
		}
		return out.toByteArray();
	}

	/** The entries of {@code payload}, a batch written at {@code since}. */
	public static List<Entry> decode(long since, byte[] payload) {
		ByteBuffer in = ByteBuffer.wrap(payload);
		int format = in.get();
		if (format != FORMAT) {
			throw new IllegalArgumentException("A batch payload of unknown format " + format);
		}
		int count = (int) readVarint(in);
		List<Entry> entries = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			TimeOrderedId id = new TimeOrderedId(in.getLong(), in.getLong());
			long predictedAt = since + readVarint(in);
			int labelLength = (int) readVarint(in) - 1;
			String predicted = null;
			if (labelLength >= 0) {
				predicted = new String(payload, in.position(), labelLength, StandardCharsets.UTF_8);
				in.position(in.position() + labelLength);
			}
			entries.add(new Entry(id, predictedAt, predicted));
		}
		if (in.hasRemaining()) {
			throw new IllegalArgumentException("A batch payload with " + in.remaining() + " bytes after its "
					+ count + " entries");
		}
		return entries;
	}

	private static void writeVarint(ByteArrayOutputStream out, long value) {
		long rest = value;
		while ((rest & ~0x7FL) != 0) {
			out.write((int) ((rest & 0x7F) | 0x80));
			rest >>>= 7;
		}
		out.write((int) rest);
	}

	private static long readVarint(ByteBuffer in) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte b = in.get();
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("A varint longer than 64 bits in a batch payload");
	}

}
