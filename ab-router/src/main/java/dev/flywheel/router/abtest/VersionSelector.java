package dev.flywheel.router.abtest;

/**
 * Which version of the test's model a variant serves: an alias (followed when it moves) or a fixed version number.
 * Exactly one of the two is set.
 */
public record VersionSelector(String alias, String version) {

	public VersionSelector {
		if ((alias == null) == (version == null)) {
			throw new IllegalArgumentException("Exactly one of alias and version is set: " + alias + ", " + version);
		}
	}

	public static VersionSelector alias(String alias) {
		return new VersionSelector(alias, null);
	}

	public static VersionSelector version(String version) {
		return new VersionSelector(null, version);
	}

	/** The alias or the version number, as the registry and the inference service accept either. */
	public String value() {
		return alias != null ? alias : version;
	}

	@Override
	public String toString() {
		return alias != null ? "@" + alias : "v" + version;
	}

}
