package dev.flywheel.training.trainer;

import org.nd4j.linalg.factory.Nd4j;

/**
 * What bit-identical training needs beyond the seed: DL4J parameters differ between BLAS thread counts (and between
 * OpenBLAS CPU kernels, which {@code OPENBLAS_CORETYPE} pins and the lineage records), so BLAS runs on one thread.
 */
public final class Determinism {

	private Determinism() {
	}

	public static void pin() {
		Nd4j.factory().blas().setMaxThreads(1);
	}

	public static int blasThreads() {
		return Nd4j.factory().blas().getMaxThreads();
	}

	public static String openblasCoretype() {
		String coretype = System.getenv("OPENBLAS_CORETYPE");
		return coretype == null || coretype.isBlank() ? "auto" : coretype;
	}

}
