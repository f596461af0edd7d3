package dev.flywheel.inference.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flywheel.inference.batching.Batcher;
import dev.flywheel.inference.support.TestModels;
import dev.flywheel.inference.support.TestProperties;
import dev.flywheel.inference.system.InferenceProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** What the service served survives a restart in {@code serving.json}, and a damaged file never stops a start. */
class ServingStateTests {

	@TempDir
	Path home;

	private final List<LoadedVersion> loaded = new ArrayList<>();

	@AfterEach
	void unload() {
		loaded.forEach(LoadedVersion::retire);
	}

	@Test
	void whatWasServedIsReadBackAfterARestart() {
		InferenceProperties properties = TestProperties.of(home, Map.of());
		LoadedVersion one = version("iris", "1", "a");
		LoadedVersion two = version("iris", "2", "b");
		LoadedVersion pinned = version("iris", "5", "c");
		new ServingState(properties).record("iris", new ServedModel.Snapshot(
				Map.of("champion", one, "challenger", two), Map.of("1", one, "2", two, "5", pinned)));

		ServingState.Served served = new ServingState(properties).of("iris");
		assertThat(served.aliases()).isEqualTo(Map.of("champion", "1", "challenger", "2"));
		assertThat(served.digests()).isEqualTo(Map.of("1", digest("a"), "2", digest("b"), "5", digest("c")));
		assertThat(new ServingState(properties).of("mixed")).isNull();
	}

	@Test
	void eachModelKeepsItsEntryAndTheLatestRecordOfAModelWins() {
		InferenceProperties properties = TestProperties.of(home, Map.of());
		ServingState state = new ServingState(properties);
		LoadedVersion iris1 = version("iris", "1", "a");
		LoadedVersion iris2 = version("iris", "2", "b");
		LoadedVersion mixed = version("mixed", "3", "c");
		state.record("iris", new ServedModel.Snapshot(Map.of("champion", iris1), Map.of("1", iris1)));
		state.record("mixed", new ServedModel.Snapshot(Map.of("champion", mixed), Map.of("3", mixed)));
		state.record("iris", new ServedModel.Snapshot(Map.of("champion", iris2), Map.of("2", iris2)));

		ServingState restarted = new ServingState(properties);
		assertThat(restarted.of("iris"))
			.isEqualTo(new ServingState.Served(Map.of("champion", "2"), Map.of("2", digest("b"))));
		assertThat(restarted.of("mixed"))
			.isEqualTo(new ServingState.Served(Map.of("champion", "3"), Map.of("3", digest("c"))));
	}

	@Test
	void theStateIsReplacedWholeWithNoTemporaryFileLeft() throws IOException {
		InferenceProperties properties = TestProperties.of(home, Map.of());
		ServingState state = new ServingState(properties);
		LoadedVersion one = version("iris", "1", "a");
		for (int i = 0; i < 5; i++) {
			state.record("iris", new ServedModel.Snapshot(Map.of("champion", one), Map.of("1", one)));
		}
		try (Stream<Path> files = Files.list(properties.stateFile().getParent())) {
			assertThat(files.map(file -> file.getFileName().toString())).containsExactly("serving.json");
		}
	}

	@Test
	void aDamagedStateIsIgnoredAndWrittenAfresh() throws IOException {
		InferenceProperties properties = TestProperties.of(home, Map.of());
		Files.createDirectories(properties.stateFile().getParent());
		for (String damaged : List.of("", "{\"iris\": {\"aliases\": {\"champion\"", "[1, 2]", "not json")) {
			Files.writeString(properties.stateFile(), damaged);
			ServingState state = new ServingState(properties);
			assertThat(state.of("iris")).as("the state read from '%s'", damaged).isNull();

			LoadedVersion one = version("iris", "1", "a");
			state.record("iris", new ServedModel.Snapshot(Map.of("champion", one), Map.of("1", one)));
			assertThat(new ServingState(properties).of("iris").aliases()).containsEntry("champion", "1");
		}
	}

	/** A loaded version with a do-nothing model: the state only reads its number and digest. */
	private LoadedVersion version(String model, String number, String seed) {
		Batcher batcher = new Batcher(model + "/" + number, (rows, count) -> rows, 1, Duration.ZERO, 1, rows -> {
		});
		LoadedVersion version = new LoadedVersion(model, number, digest(seed), new FeatureSchema(TestModels.IRIS),
				batcher, (rows, count) -> rows, () -> {
				}, Duration.ZERO);
		loaded.add(version);
		return version;
	}

	private static String digest(String seed) {
		return seed.repeat(64);
	}

}
