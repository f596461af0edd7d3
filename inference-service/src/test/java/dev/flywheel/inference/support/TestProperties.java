package dev.flywheel.inference.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.flywheel.inference.system.InferenceProperties;

/** The service's settings as Spring binds them ({@code flywheel.*}, defaults included), for unit tests. */
public final class TestProperties {

	private TestProperties() {
	}

	/** The default settings with {@code home} and {@code settings} (keys under {@code flywheel.}). */
	public static InferenceProperties of(Path home, Map<String, String> settings) {
		Map<String, String> source = new HashMap<>();
		source.put("flywheel.home", home.toString());
		settings.forEach((key, value) -> source.put("flywheel." + key, value));
		return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("flywheel",
				InferenceProperties.class);
	}

}
