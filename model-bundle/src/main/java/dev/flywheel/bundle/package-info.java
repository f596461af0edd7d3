/**
 * The model bundle: the files a trained model travels in from training to serving (the DL4J model, its signature,
 * reference profile, held-out metrics and lineage) and the canonical digest that identifies it.
 */
package dev.flywheel.bundle;
