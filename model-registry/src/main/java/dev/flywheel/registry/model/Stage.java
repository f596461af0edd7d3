package dev.flywheel.registry.model;

import java.util.Locale;

import dev.flywheel.registry.mlflow.MlflowException;

/** MLflow's legacy model version stages; input is case-insensitive, storage uses the canonical spelling. */
enum Stage {

	NONE("None"), STAGING("Staging"), PRODUCTION("Production"), ARCHIVED("Archived");

	private final String canonical;

	Stage(String canonical) {
		this.canonical = canonical;
	}

	String canonical() {
		return canonical;
	}

	/** Staging and Production are the stages whose other versions {@code archive_existing_versions} archives. */
	boolean isActive() {
		return this == STAGING || this == PRODUCTION;
	}

	static Stage parse(String value) {
		for (Stage stage : values()) {
			if (stage.canonical.toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
				return stage;
			}
		}
		throw MlflowException.invalid("Invalid Model Version stage: " + value
				+ ". Value must be one of None, Staging, Production, Archived.");
	}

}
