package dev.flywheel.bundle;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a bundle was made ({@code lineage.json}): the data (each dataset's digest and row count), the spec, the seed,
 * the code, the runtime whose floating point it depends on, and for a retraining the version it retrains and the
 * labelled production data it added. A record of what happened: immutable once written, and outside the bundle
 * digest, since it holds times and hosts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(List<Dataset> datasets, String specDigest, long seed, Code code, Runtime runtime,
		String parentVersion, String feedbackSnapshotDigest, String startedAt, String endedAt) {

	/** What an older bundle that did not record a field says instead. */
	public static final String UNKNOWN = "unknown";

	public Lineage {
		datasets = List.copyOf(datasets);
		Objects.requireNonNull(specDigest, "specDigest");
	}

	/**
	 * @param role {@code base} for the training dataset, {@code feedback} for labelled production data
	 */
	public record Dataset(String path, String sha256, long rows, String role) {
	}

	/** The code that trained: the pipeline's version and the git commit it was built from. */
	public record Code(String version, String gitCommit) {
	}

	/**
	 * The runtime: DL4J parameters differ between BLAS thread counts and OpenBLAS CPU kernels, so both are recorded
	 * with the versions and the platform.
	 */
	public record Runtime(String java, String dl4j, String os, String arch, int blasThreads, String openblasCoretype,
			String host) {
	}

}
