package dev.flywheel.registry.run;

import java.util.Locale;

import dev.flywheel.registry.mlflow.MlflowException;

/** MLflow's RunStatus, by name or proto number. */
enum RunStatus {

	RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

	static RunStatus parse(String value) {
		String upper = value.trim().toUpperCase(Locale.ROOT);
		for (RunStatus status : values()) {
			if (status.name().equals(upper) || String.valueOf(status.ordinal() + 1).equals(upper)) {
				return status;
			}
		}
		throw MlflowException.invalid("Invalid value '" + value + "' for parameter 'status': expected one of "
				+ "RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
	}

}
