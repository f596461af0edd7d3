package dev.flywheel.monitoring.ingest;

/**
 * What became of a post: how many rows it carried, how many were stored now, and how many were there already (the
 * same prediction id posted again: the first stays).
 */
public record IngestReport(int received, int stored, int duplicates) {

	/** The report of {@code received} rows of which {@code stored} were new. */
	public static IngestReport of(int received, int stored) {
		return new IngestReport(received, stored, received - stored);
	}

}
