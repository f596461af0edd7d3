package dev.flywheel.bundle.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.flywheel.bundle.Bundle;
import dev.flywheel.bundle.BundleDigestMismatchException;
import dev.flywheel.bundle.BundleException;

/**
 * Publishes bundles to an MLflow tracking server with a model registry and fetches them back, verified. Publishing
 * uses MLflow's documented routes only (the artifact proxy and the registry), so it works against MLflow's own server
 * started with {@code --serve-artifacts}; fetching uses Flywheel's one-zip bundle route when the server has it and
 * falls back to MLflow's routes otherwise. Every call has a timeout.
 */
public final class RegistryClient {

	private static final Logger logger = LoggerFactory.getLogger(RegistryClient.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String MLFLOW = "/api/2.0/mlflow/";

	private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

	private final String base;

	private final String token;

	private final Duration timeout;

	private final HttpClient http;

	/**
	 * @param trackingUri the tracking server, such as {@code http://127.0.0.1:5000}
	 * @param token the bearer token for writes, or null
	 * @param timeout the longest any one call may take
	 */
	public RegistryClient(URI trackingUri, String token, Duration timeout) {
		this.base = trackingUri.toString().replaceAll("/+$", "");
		this.token = token == null || token.isBlank() ? null : token;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
	}

	/** A registered model version, as the registry reports it. */
	public record Version(String name, String version, String runId, Map<String, String> tags, List<String> aliases) {

		public String digest() {
			return tags.get(Bundle.DIGEST_TAG);
		}

	}

	/**
	 * Uploads the bundle's files to the run's artifacts under {@code model/} (the descriptor last) and registers it as a
	 * new version of {@code modelName} (creating the model if needed), tagged with its digest and {@code tags}. Until
	 * the version exists nothing refers to the uploaded files, so a failure part way leaves no version behind.
	 */
	public Version publish(Bundle bundle, String modelName, String runId, Map<String, String> tags) {
		String root = runArtifactRoot(runId);
		for (String file : Bundle.FILES) {
			put(root + "/model/" + file, bundle.directory().resolve(file));
		}
		ObjectNode create = JSON.createObjectNode().put("name", modelName);
		JsonResponse created = send("POST", MLFLOW + "registered-models/create", create.toString());
		if (created.status() != 200 && !created.body().path("error_code").asString().equals("RESOURCE_ALREADY_EXISTS")) {
			throw failure("registered-models/create", created);
		}
		Map<String, String> allTags = new LinkedHashMap<>(tags);
		allTags.put(Bundle.DIGEST_TAG, bundle.digest());
		ObjectNode version = JSON.createObjectNode()
			.put("name", modelName)
			.put("source", "runs:/" + runId + "/model")
			.put("run_id", runId);
		ArrayNode tagArray = version.putArray("tags");
		allTags.forEach((key, value) -> tagArray.addObject().put("key", key).put("value", value));
		JsonResponse registered = send("POST", MLFLOW + "model-versions/create", version.toString());
		if (registered.status() != 200) {
			throw failure("model-versions/create", registered);
		}
		return version(registered.body().path("model_version"));
	}

	/** Uploads one file to a run's artifacts at {@code artifactPath} (such as {@code spec.yaml}). */
	public void uploadArtifact(String runId, String artifactPath, Path file) {
		put(runArtifactRoot(runId) + "/" + artifactPath, file);
	}

	/** Downloads one of a run's artifacts to {@code target}. */
	public void downloadArtifact(String runId, String artifactPath, Path target) {
		HttpResponse<Path> response = exchange(request(ARTIFACTS + runArtifactRoot(runId) + "/" + artifactPath).GET()
			.build(), HttpResponse.BodyHandlers.ofFile(target));
		if (response.statusCode() != 200) {
			throw new BundleException("Run " + runId + " has no artifact " + artifactPath + " at " + base + " (HTTP "
					+ response.statusCode() + ")");
		}
	}

	private String runArtifactRoot(String runId) {
		return artifactRoot(get("runs/get?run_id=" + encode(runId)).path("run").path("info").path("artifact_uri")
			.asString());
	}

	/** Points {@code alias} at a version. */
	public void setAlias(String modelName, String alias, String version) {
		ObjectNode body = JSON.createObjectNode().put("name", modelName).put("alias", alias).put("version", version);
		JsonResponse response = send("POST", MLFLOW + "registered-models/alias", body.toString());
		if (response.status() != 200) {
			throw failure("registered-models/alias", response);
		}
	}

	/** The version a number or an alias names; empty when the model or the alias does not exist. */
	public java.util.Optional<Version> find(String modelName, String versionOrAlias) {
		String query = "name=" + encode(modelName);
		JsonResponse response = isNumber(versionOrAlias)
				? send("GET", MLFLOW + "model-versions/get?" + query + "&version=" + versionOrAlias, null)
				: send("GET", MLFLOW + "registered-models/alias?" + query + "&alias=" + encode(versionOrAlias), null);
		if (response.status() == 200) {
			return java.util.Optional.of(version(response.body().path("model_version")));
		}
		String code = response.body().path("error_code").asString();
		if (response.status() == 404 || (code.equals("INVALID_PARAMETER_VALUE")
				&& response.body().path("message").asString().contains("not found"))) {
			return java.util.Optional.empty();
		}
		throw failure("resolving " + modelName + "/" + versionOrAlias, response);
	}

	/**
	 * Downloads the bundle of a version (a number or an alias) into {@code target}, which must not exist yet, and
	 * verifies it: its content must hash to the digest in its descriptor and to the version's {@code flywheel.digest}
	 * tag. Nothing is left at {@code target} unless the bundle verified.
	 */
	public Bundle fetch(String modelName, String versionOrAlias, Path target) {
		Version version = find(modelName, versionOrAlias)
			.orElseThrow(() -> new BundleException("The registry at " + base + " has no version '" + versionOrAlias
					+ "' of model '" + modelName + "'"));
		String expected = version.digest();
		if (expected == null) {
			throw new BundleException("Version " + version.version() + " of '" + modelName + "' has no "
					+ Bundle.DIGEST_TAG + " tag, so its bundle cannot be verified");
		}
		Path staging = staging(target);
		try {
			if (!downloadZip(modelName, version.version(), staging)) {
				downloadFiles(modelName, version.version(), staging);
			}
			Bundle bundle = Bundle.read(staging);
			if (!bundle.digest().equals(expected)) {
				throw new BundleDigestMismatchException("of " + modelName + "/" + version.version(), expected,
						bundle.digest());
			}
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
			return Bundle.read(target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot place the bundle at " + target, ex);
		}
		finally {
			deleteQuietly(staging);
		}
	}

	private boolean downloadZip(String modelName, String version, Path staging) throws IOException {
		HttpRequest request = request("/api/2.0/flywheel/models/" + encode(modelName) + "/versions/" + version
				+ "/bundle").GET().build();
		HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			if (response.statusCode() == 404) {
				logger.debug("{} has no bundle route; fetching file by file", base);
				return false;
			}
			if (response.statusCode() != 200) {
				throw new BundleException("Downloading the bundle of " + modelName + "/" + version + " from " + base
						+ " failed with HTTP " + response.statusCode());
			}
			unzip(body, staging);
			return true;
		}
	}

	private void downloadFiles(String modelName, String version, Path staging) throws IOException {
		String uri = get("model-versions/get-download-uri?name=" + encode(modelName) + "&version=" + version)
			.path("artifact_uri").asString();
		String root = artifactRoot(uri);
		for (String file : Bundle.FILES) {
			HttpResponse<Path> response = exchange(request(ARTIFACTS + root + "/" + file).GET().build(),
					HttpResponse.BodyHandlers.ofFile(staging.resolve(file)));
			if (response.statusCode() != 200) {
				throw new BundleException("Downloading " + file + " of " + modelName + "/" + version + " from " + base
						+ " failed with HTTP " + response.statusCode());
			}
		}
	}

	private static void unzip(InputStream body, Path directory) throws IOException {
		try (ZipInputStream zip = new ZipInputStream(body)) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				Path file = directory.resolve(entry.getName()).normalize();
				if (!file.startsWith(directory) || entry.isDirectory()) {
					throw new BundleException("The bundle zip holds an unexpected entry '" + entry.getName() + "'");
				}
				Files.createDirectories(file.getParent());
				Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	/** The path inside the artifact proxy of a run's or version's artifact URI. */
	private String artifactRoot(String uri) {
		String scheme = "mlflow-artifacts:";
		if (uri.startsWith(scheme)) {
			String rest = uri.substring(scheme.length());
			if (rest.startsWith("//")) {
				int slash = rest.indexOf('/', 2);
				rest = slash < 0 ? "" : rest.substring(slash);
			}
			return rest.replaceAll("^/+", "");
		}
		int proxy = uri.indexOf(ARTIFACTS);
		if (proxy >= 0) {
			return uri.substring(proxy + ARTIFACTS.length());
		}
		throw new BundleException("Artifacts at '" + uri + "' are not served by the tracking server's artifact proxy; "
				+ "start it with artifact serving (mlflow-artifacts URIs)");
	}

	private void put(String path, Path file) {
		try {
			HttpRequest request = request(ARTIFACTS + path).PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
			HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new BundleException("Uploading " + file.getFileName() + " to " + base + " failed with HTTP "
						+ response.statusCode() + ": " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	private JsonNode get(String path) {
		JsonResponse response = send("GET", MLFLOW + path, null);
		if (response.status() != 200) {
			throw failure(path.replaceAll("\\?.*", ""), response);
		}
		return response.body();
	}

	private record JsonResponse(int status, JsonNode body) {
	}

	private JsonResponse send(String method, String path, String body) {
		HttpRequest.Builder request = request(path).method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode json;
		try {
			json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
		}
		catch (RuntimeException ex) {
			json = JSON.createObjectNode().put("message", response.body());
		}
		return new JsonResponse(response.statusCode(), json);
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		try {
			return http.send(request, handler);
		}
		catch (IOException ex) {
			throw new BundleException("The registry at " + base + " cannot be reached (" + request.method() + " "
					+ request.uri().getPath() + "): " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BundleException("Interrupted while calling the registry at " + base, ex);
		}
	}

	private BundleException failure(String call, JsonResponse response) {
		return new BundleException("The registry at " + base + " refused " + call + " with HTTP " + response.status()
				+ ": " + response.body().path("error_code").asString("") + " " + response.body().path("message")
					.asString(""));
	}

	private static Version version(JsonNode node) {
		Map<String, String> tags = new LinkedHashMap<>();
		node.path("tags").forEach(tag -> tags.put(tag.path("key").asString(), tag.path("value").asString()));
		List<String> aliases = new ArrayList<>();
		node.path("aliases").forEach(alias -> aliases.add(alias.asString()));
		return new Version(node.path("name").asString(), node.path("version").asString(),
				node.path("run_id").asString(null), tags, aliases);
	}

	private static Path staging(Path target) {
		try {
			if (Files.exists(target)) {
				throw new BundleException(target + " already exists");
			}
			Files.createDirectories(target.toAbsolutePath().getParent());
			return Files.createTempDirectory(target.toAbsolutePath().getParent(), ".fetching-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot prepare " + target, ex);
		}
	}

	private static void deleteQuietly(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}: {}", directory, ex.toString());
		}
	}

	private static boolean isNumber(String value) {
		return !value.isEmpty() && value.chars().allMatch(Character::isDigit);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
