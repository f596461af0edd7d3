package dev.flywheel.monitoring.drifting;

/** A model version, as the prediction log names it. */
record VersionKey(String model, String version) {

	@Override
	public String toString() {
		return model + " version " + version;
	}

}
