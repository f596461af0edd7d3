package dev.flywheel.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the bundle's files, written canonically (properties and map keys sorted, indented, one trailing
 * newline) so that the same content is always the same bytes and the digest can be taken over the files as written.
 */
final class BundleJson {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private BundleJson() {
	}

	static byte[] bytes(Object value) {
		return (MAPPER.writeValueAsString(value) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	static void write(Path file, Object value) {
		try {
			Files.write(file, bytes(value));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	static <T> T read(Path file, Class<T> type) {
		try {
			return MAPPER.readValue(file.toFile(), type);
		}
		catch (JacksonException ex) {
			throw new BundleException(file.getFileName() + " in " + file.getParent() + " is not a valid "
					+ type.getSimpleName() + ": " + ex.getOriginalMessage());
		}
	}

}
