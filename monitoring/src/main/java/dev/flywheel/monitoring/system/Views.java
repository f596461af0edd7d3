package dev.flywheel.monitoring.system;

import java.util.Map;

/** How the APIs build their JSON views: what is unknown is left out rather than shown as null or NaN. */
public final class Views {

	private Views() {
	}

	/** Puts {@code value} unless it is null. */
	public static void putIfSet(Map<String, Object> view, String name, Object value) {
		if (value != null) {
			view.put(name, value);
		}
	}

	/** Puts {@code value} unless it is NaN or infinite (JSON has neither). */
	public static void putFinite(Map<String, Object> view, String name, double value) {
		if (Double.isFinite(value)) {
			view.put(name, value);
		}
	}

}
