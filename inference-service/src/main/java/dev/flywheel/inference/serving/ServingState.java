package dev.flywheel.inference.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.inference.system.InferenceProperties;

/**
 * What each model served last ({@code <home>/inference/serving.json}): its aliases' versions and every served
 * version's digest. Written after every swap, read at start when the registry cannot be reached, so the service
 * serves from its bundle cache what it served before.
 */
@Component
public class ServingState {

	private static final Logger logger = LoggerFactory.getLogger(ServingState.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * @param aliases alias to version number
	 * @param digests version number to bundle digest, for every served version
	 */
	public record Served(Map<String, String> aliases, Map<String, String> digests) {
	}

	private final Path file;

	private final Map<String, Served> models = new ConcurrentHashMap<>();

	public ServingState(InferenceProperties properties) {
		this.file = properties.stateFile();
		if (Files.exists(file)) {
			try {
				models.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Served>>() {
				}));
			}
			catch (JacksonException ex) {
				logger.warn("Ignoring the unreadable serving state {}: {}", file, ex.getOriginalMessage());
			}
		}
	}

	/** What {@code model} served when the state was last written, if anything. */
	public Served of(String model) {
		return models.get(model);
	}

	/** Records what {@code model} serves now, written atomically. */
	public synchronized void record(String model, ServedModel.Snapshot snapshot) {
		Map<String, String> aliases = new TreeMap<>();
		snapshot.aliases().forEach((alias, version) -> aliases.put(alias, version.version()));
		Map<String, String> digests = new TreeMap<>();
		snapshot.versions().forEach((number, version) -> digests.put(number, version.digest()));
		models.put(model, new Served(aliases, digests));
		try {
			Files.createDirectories(file.getParent());
			Path temporary = Files.createTempFile(file.getParent(), ".serving-", ".json");
			JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), new TreeMap<>(models));
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException | JacksonException ex) {
			logger.warn("Cannot write the serving state {}: {}", file, ex.toString());
		}
	}

}
