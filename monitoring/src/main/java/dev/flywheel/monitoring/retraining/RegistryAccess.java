package dev.flywheel.monitoring.retraining;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.Signature;
import dev.flywheel.bundle.registry.RegistryClient;
import dev.flywheel.monitoring.system.RegistryProperties;

/**
 * What retraining asks of the registry (blocking calls, each bounded by {@code flywheel.registry.timeout}; callers run
 * them off the event loop): the champion to retrain from, and moving {@code challenger} to a new version.
 */
@Component
class RegistryAccess {

	/** The tag the training command puts on its run: the directory its spec was read from. */
	static final String SPEC_DIRECTORY_TAG = "flywheel.spec.dir";

	/** The artifact the training command stores its spec as. */
	static final String SPEC_ARTIFACT = "spec.yaml";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RegistryClient registry;

	private final HttpClient http;

	private final URI base;

	private final Duration timeout;

	private final String token;

	RegistryAccess(RegistryProperties properties) {
		this.token = properties.token().isBlank() ? null : properties.token();
		this.registry = new RegistryClient(properties.url(), token, properties.timeout());
		this.base = URI.create(properties.url().toString().replaceAll("/+$", ""));
		this.timeout = properties.timeout();
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	/** The model's champion, its spec and its signature's features. */
	Champion champion(String model, Path work) throws IOException, InterruptedException {
		RegistryClient.Version version = registry.find(model, "champion")
			.orElseThrow(() -> new IllegalStateException("Model '" + model + "' has no champion to retrain from"));
		if (version.runId() == null || version.runId().isBlank()) {
			throw new IllegalStateException("The champion of '" + model + "' (version " + version.version()
					+ ") has no run, so its training spec is unknown");
		}
		Path spec = work.resolve("champion-spec.yaml");
		registry.downloadArtifact(version.runId(), SPEC_ARTIFACT, spec);
		String specDirectory = runTag(version.runId(), SPEC_DIRECTORY_TAG);
		if (specDirectory == null) {
			throw new IllegalStateException("The champion's run " + version.runId() + " has no " + SPEC_DIRECTORY_TAG
					+ " tag, so its spec's relative paths cannot be resolved");
		}
		Bundle bundle = registry.fetch(model, version.version(), work.resolve("champion-bundle"));
		List<String> features = bundle.signature().inputs().stream().map(Signature.Input::name).toList();
		String yaml = Files.readString(spec);
		return new Champion(model, version.version(), yaml, Path.of(specDirectory), features,
				RetrainingSpec.label(yaml));
	}

	/** Points {@code challenger} at a version. */
	void makeChallenger(String model, String version) {
		registry.setAlias(model, "challenger", version);
	}

	private String runTag(String runId, String key) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/runs/get?run_id="
				+ URLEncoder.encode(runId, StandardCharsets.UTF_8)))
			.timeout(timeout)
			.GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("The registry answered " + response.statusCode() + " to runs/get for "
					+ runId + ": " + response.body());
		}
		for (JsonNode tag : JSON.readTree(response.body()).path("run").path("data").path("tags")) {
			if (key.equals(tag.path("key").asString())) {
				return tag.path("value").asString();
			}
		}
		return null;
	}

}
