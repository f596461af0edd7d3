package dev.flywheel.monitoring.retraining;

import java.nio.file.Path;
import java.util.List;

/**
 * What a retraining starts from: the model's champion version, the spec its run was trained with (and the directory
 * its relative paths are from), its features as its signature names them, and the label column.
 */
record Champion(String model, String version, String spec, Path specDirectory, List<String> features, String label) {
}
