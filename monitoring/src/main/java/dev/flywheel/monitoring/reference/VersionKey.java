package dev.flywheel.monitoring.reference;

/** A model version, as the prediction log names it. */
public record VersionKey(String model, String version) {

	@Override
	public String toString() {
		return model + " version " + version;
	}

}
