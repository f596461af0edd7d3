package dev.flywheel.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.flywheel.registry.support.RawHttp;
import dev.flywheel.registry.support.RegistryTestSupport;
import dev.flywheel.registry.support.TestDatabases;

import static dev.flywheel.registry.support.MlflowErrors.assertError;
import static dev.flywheel.registry.support.MlflowErrors.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MLflow's artifact proxy and the bundle zip against a local store in a known directory: bytes, listings, deletes,
 * every way of escaping the store (sent byte for byte over a raw socket), cut-off and oversized uploads, the declined
 * multipart upload, and the bundle's content, stability and caching.
 */
class ArtifactProxyIntegrationTests extends RegistryTestSupport {

	private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

	private static final int MAX_ARTIFACT_BYTES = 4 * 1024 * 1024;

	/** The artifact root sits two levels below BASE, so a {@code ../../x} escape would land inside BASE. */
	private static final Path BASE = realPath(TestDatabases.newHome());

	private static final Path ROOT = BASE.resolve("store").resolve("artifacts");

	private static final Path UPLOADS = BASE.resolve("store").resolve("artifacts.uploads");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
		registry.add("flywheel.registry.artifact-root", ROOT::toString);
		registry.add("flywheel.registry.max-artifact-size", () -> MAX_ARTIFACT_BYTES + "B");
	}

	@Test
	void roundTripsBytesExactlyWithAttachmentAndSha256ETag() {
		String path = unique() + "/model/weights.bin";
		byte[] bytes = random(3 * 1024 * 1024 + 17);
		assertThat(put(path, bytes)).isEqualTo("{}");
		HttpResponse<byte[]> got = sendBytes("GET", PROXY + path, null);
		assertThat(got.statusCode()).isEqualTo(200);
		assertThat(got.body()).isEqualTo(bytes);
		assertThat(got.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				value -> assertThat(value).startsWith("attachment").contains("filename=\"weights.bin\""));
		assertThat(got.headers().firstValue("ETag")).contains("\"" + sha256(bytes) + "\"");
		assertThat(ROOT.resolve(path)).hasBinaryContent(bytes);

		byte[] replacement = random(1000);
		assertThat(put(path, replacement)).isEqualTo("{}");
		HttpResponse<byte[]> again = sendBytes("GET", PROXY + path, null);
		assertThat(again.body()).isEqualTo(replacement);
		assertThat(again.headers().firstValue("ETag")).contains("\"" + sha256(replacement) + "\"");
	}

	@Test
	void listsDirectChildrenByBasenameWithTypeAndSize() {
		String dir = unique();
		put(dir + "/a.txt", bytes("abc"));
		put(dir + "/sub/b.txt", bytes("hello"));
		put(dir + "/sub/deeper/c.txt", bytes("c"));

		assertThat(listing(dir)).containsExactly(Map.entry("a.txt", "file:3"), Map.entry("sub", "dir"));
		assertThat(listing(dir + "/sub")).containsExactly(Map.entry("b.txt", "file:5"), Map.entry("deeper", "dir"));
		assertThat(listing("")).containsEntry(dir, "dir");
		for (String notADirectory : List.of(dir + "/a.txt", dir + "/missing", dir + "/sub/deeper/c.txt/x")) {
			HttpResponse<String> answer = send("GET", PROXY.substring(0, PROXY.length() - 1) + "?path=" + notADirectory,
					null);
			assertThat(answer.statusCode()).as(notADirectory).isEqualTo(200);
			assertThat(json(answer.body()).path("files").size()).as(notADirectory).isZero();
		}
	}

	@Test
	void deletesFilesAndDirectoriesAndIgnoresMissingPaths() {
		String dir = unique();
		put(dir + "/keep.txt", bytes("keep"));
		put(dir + "/gone.txt", bytes("gone"));
		put(dir + "/tree/x.txt", bytes("x"));
		put(dir + "/tree/y/z.txt", bytes("z"));

		assertThat(send("DELETE", PROXY + dir + "/gone.txt", null).body()).isEqualTo("{}");
		assertError(send("GET", PROXY + dir + "/gone.txt", null), 404, "RESOURCE_DOES_NOT_EXIST").contains("gone.txt");
		assertThat(send("DELETE", PROXY + dir + "/tree", null).body()).isEqualTo("{}");
		assertError(send("GET", PROXY + dir + "/tree/y/z.txt", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertThat(ROOT.resolve(dir).resolve("tree")).doesNotExist();
		assertThat(listing(dir)).containsExactly(Map.entry("keep.txt", "file:4"));

		HttpResponse<String> missing = send("DELETE", PROXY + dir + "/never/there.txt", null);
		assertThat(missing.statusCode()).isEqualTo(200);
		assertThat(missing.body()).isEqualTo("{}");
		for (String root : List.of("", ".", "%2e", "a/..%2F")) {
			assertError(send("DELETE", PROXY + root, null), 400, "INVALID_PARAMETER_VALUE").contains("Invalid path");
		}
		assertThat(sendBytes("GET", PROXY + dir + "/keep.txt", null).body()).isEqualTo(bytes("keep"));
	}

	@Test
	void refusesTraversalWithoutWritingOutsideTheStore() throws IOException {
		String evil = "evil-" + UUID.randomUUID();
		List<String> escapes = List.of("../../" + evil, "a/../../../" + evil, "%2e%2e/%2e%2e/" + evil,
				"%2E%2E/%2E%2E/" + evil, "%252e%252e/%252e%252e/" + evil, "..%2F..%2F" + evil,
				"a%2F..%2F..%2F..%2F" + evil, "..%5C..%5C" + evil, "a%5Cb", "/tmp/" + evil, "%2Ftmp%2F" + evil,
				"C:/" + evil);
		for (String escape : escapes) {
			for (String method : List.of("PUT", "GET", "DELETE")) {
				RawHttp.Response answer = RawHttp.exchange(port, method, PROXY + escape,
						method.equals("PUT") ? bytes("pwned") : null);
				assertError(answer, 400, "INVALID_PARAMETER_VALUE").as(method + " " + escape)
					.startsWith("Invalid path");
			}
		}
		// a raw backslash makes the request target an invalid URI: Spring's adapter answers 400 before any handler
		for (String method : List.of("PUT", "GET", "DELETE")) {
			assertThat(RawHttp.exchange(port, method, PROXY + "..\\..\\" + evil, bytes("pwned")).status())
				.isEqualTo(400);
		}
		for (String query : List.of("/etc", "%2Fetc", "../..", "%2e%2e/%2e%2e", "%252e%252e", "C:/Windows", "a%5C..")) {
			assertError(send("GET", PROXY.substring(0, PROXY.length() - 1) + "?path=" + query, null), 400,
					"INVALID_PARAMETER_VALUE")
				.as(query)
				.startsWith("Invalid path");
		}
		String runId = mlflow().createRun().getRunId();
		assertError(send("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=../../..", null), 400,
				"INVALID_PARAMETER_VALUE");

		try (Stream<Path> everything = Files.walk(BASE)) {
			assertThat(everything.filter(p -> p.getFileName().toString().contains(evil))).isEmpty();
		}
		assertThat(Path.of("/tmp", evil)).doesNotExist();
	}

	@Test
	void refusesSymbolicLinksPlantedInsideTheStore() throws IOException {
		String dir = unique();
		put(dir + "/real.txt", bytes("real"));
		Path outside = Files.createDirectories(BASE.resolve("outside-" + dir));
		Path secret = Files.writeString(outside.resolve("secret.txt"), "top secret");
		Files.createSymbolicLink(ROOT.resolve(dir).resolve("link"), outside);
		Files.createSymbolicLink(ROOT.resolve(dir).resolve("filelink"), secret);

		for (String through : List.of("link/secret.txt", "filelink", "link/planted.txt", "link/new/planted.txt")) {
			assertError(RawHttp.exchange(port, "PUT", PROXY + dir + "/" + through, bytes("planted")), 400,
					"INVALID_PARAMETER_VALUE")
				.as("PUT " + through)
				.isEqualTo("Invalid path");
		}
		for (String through : List.of("link/secret.txt", "filelink")) {
			assertError(sendBytes("GET", PROXY + dir + "/" + through, null), 400, "INVALID_PARAMETER_VALUE")
				.as("GET " + through)
				.isEqualTo("Invalid path");
			assertError(send("DELETE", PROXY + dir + "/" + through, null), 400, "INVALID_PARAMETER_VALUE")
				.as("DELETE " + through);
		}
		for (String through : List.of("link", "link/sub")) {
			assertError(send("GET", PROXY.substring(0, PROXY.length() - 1) + "?path=" + dir + "/" + through, null),
					400, "INVALID_PARAMETER_VALUE")
				.as("list " + through)
				.isEqualTo("Invalid path");
		}
		assertThat(listing(dir)).as("links are not listed").containsExactly(Map.entry("real.txt", "file:4"));

		send("DELETE", PROXY + dir + "/link", null);
		assertThat(send("DELETE", PROXY + dir, null).statusCode()).isEqualTo(200);
		assertThat(ROOT.resolve(dir)).doesNotExist();
		assertThat(secret).hasContent("top secret");
		try (Stream<Path> files = Files.list(outside)) {
			assertThat(files).containsExactly(secret);
		}
	}

	@Test
	void uploadCutOffMidBodyLeavesNoPartialArtifact() throws IOException {
		String dir = unique();
		String path = dir + "/partial.bin";
		List<Path> before = uploads();
		try (Socket socket = RawHttp.begin(port, "PUT", PROXY + path, 1_000_000)) {
			OutputStream out = socket.getOutputStream();
			out.write(random(300_000));
			out.flush();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(uploads()).as("the upload is under way")
					.filteredOn(temp -> !before.contains(temp))
					.singleElement()
					.satisfies(temp -> assertThat(temp).isNotEmptyFile()));
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(uploads()).isEmpty());
		assertError(send("GET", PROXY + path, null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertThat(listing(dir)).isEmpty();
		assertThat(ROOT.resolve(path)).doesNotExist();
	}

	@Test
	void refusesUploadsOverTheSizeLimitLeavingNothing() throws Exception {
		String dir = unique();
		byte[] tooBig = random(MAX_ARTIFACT_BYTES + 1);
		assertError(RawHttp.exchange(port, "PUT", PROXY + dir + "/declared.bin", tooBig), 413, "BAD_REQUEST")
			.contains("size limit");

		HttpRequest chunked = HttpRequest.newBuilder(URI.create(baseUrl() + PROXY + dir + "/streamed.bin"))
			.PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooBig)))
			.build();
		HttpResponse<String> streamed = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
		assertThat(streamed.request().headers().firstValue("Content-Length")).isEmpty();
		assertError(streamed, 413, "BAD_REQUEST").contains("size limit");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(uploads()).isEmpty());
		assertError(send("GET", PROXY + dir + "/declared.bin", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertError(send("GET", PROXY + dir + "/streamed.bin", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertThat(listing(dir)).isEmpty();

		byte[] atLimit = random(MAX_ARTIFACT_BYTES);
		assertThat(put(dir + "/at-limit.bin", atLimit)).isEqualTo("{}");
		assertThat(sendBytes("GET", PROXY + dir + "/at-limit.bin", null).body()).isEqualTo(atLimit);
	}

	@Test
	void declinesMultipartUploadWithMlflowsMessage() {
		String dir = unique();
		Map<String, String> bodies = Map.of("create", "{\"path\":\"big.bin\",\"num_parts\":3}", "complete",
				"{\"path\":\"big.bin\",\"upload_id\":\"u\",\"parts\":[]}", "abort",
				"{\"path\":\"big.bin\",\"upload_id\":\"u\"}");
		bodies.forEach((step, body) -> assertError(
				send("POST", "/api/2.0/mlflow-artifacts/mpu/" + step + "/" + dir, body), 501, "NOT_IMPLEMENTED")
			.as(step)
			.startsWith("Multipart upload is not supported for the current artifact repository"));
	}

	@Test
	void bundlesAVersionAsAStableZipByNumberAndAlias() throws IOException {
		String runId = mlflow().createRun().getRunId();
		String runRoot = "0/" + runId + "/artifacts";
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("MLmodel", bytes("flavors:\n  python_function: {}\n"));
		files.put("data/weights.bin", random(200_000));
		files.put("data/nested/vocab.txt", bytes("a\nb\n"));
		files.forEach((name, content) -> put(runRoot + "/model/" + name, content));
		put(runRoot + "/model-extra/not-in-bundle.txt", bytes("sibling"));
		put(runRoot + "/notes.txt", bytes("outside the model"));

		String model = "bundle-" + UUID.randomUUID();
		String digest = "sha256-" + UUID.randomUUID();
		mlflow().sendPost("registered-models/create", "{\"name\":\"" + model + "\"}");
		String source = "\"source\":\"runs:/" + runId + "/model\",\"run_id\":\"" + runId + "\"";
		mlflow().sendPost("model-versions/create", "{\"name\":\"" + model + "\"," + source + "}");
		mlflow().sendPost("model-versions/create", "{\"name\":\"" + model + "\"," + source
				+ ",\"tags\":[{\"key\":\"flywheel.digest\",\"value\":\"" + digest + "\"}]}");
		mlflow().sendPost("registered-models/alias",
				"{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"2\"}");
		String bundle = "/api/2.0/flywheel/models/" + model + "/versions/";

		HttpResponse<byte[]> first = sendBytes("GET", bundle + "1/bundle", null);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Content-Type")).contains("application/zip");
		assertThat(first.headers().firstValue("X-Flywheel-Model-Version")).contains("1");
		assertThat(unzip(first.body())).containsOnlyKeys(files.keySet())
			.allSatisfy((name, content) -> assertThat(content).as(name).isEqualTo(files.get(name)));
		assertThat(sendBytes("GET", bundle + "1/bundle", null).body()).as("a second download").isEqualTo(first.body());
		String computedEtag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(computedEtag).matches("\"[0-9a-f]{64}\"");

		HttpResponse<byte[]> byAlias = sendBytes("GET", bundle + "champion/bundle", null);
		assertThat(byAlias.statusCode()).isEqualTo(200);
		assertThat(byAlias.headers().firstValue("X-Flywheel-Model-Version")).contains("2");
		assertThat(byAlias.headers().firstValue("ETag")).contains("\"" + digest + "\"");
		assertThat(byAlias.body()).as("same files, same bytes").isEqualTo(first.body());
		assertThat(sendBytes("GET", bundle + "2/bundle", null).headers().firstValue("ETag"))
			.contains("\"" + digest + "\"");

		HttpResponse<byte[]> cached = conditionalGet(bundle + "champion/bundle", "\"" + digest + "\"");
		assertThat(cached.statusCode()).isEqualTo(304);
		assertThat(cached.body()).isEmpty();
		assertThat(conditionalGet(bundle + "1/bundle", computedEtag).statusCode()).isEqualTo(304);
		assertThat(conditionalGet(bundle + "1/bundle", "\"stale\"").statusCode()).isEqualTo(200);

		put(runRoot + "/model/MLmodel", bytes("flavors: {}\n"));
		HttpResponse<byte[]> changed = conditionalGet(bundle + "1/bundle", computedEtag);
		assertThat(changed.statusCode()).as("a changed file changes the computed ETag").isEqualTo(200);
		assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(computedEtag);
		assertThat(unzip(changed.body()).get("MLmodel")).isEqualTo(bytes("flavors: {}\n"));

		assertError(sendBytes("GET", bundle + "nobody/bundle", null), 404, "RESOURCE_DOES_NOT_EXIST")
			.contains("nobody");
		assertError(sendBytes("GET", bundle + "99/bundle", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertError(sendBytes("GET", bundle + "99999999999999999999/bundle", null), 404, "RESOURCE_DOES_NOT_EXIST");
		assertError(sendBytes("GET", "/api/2.0/flywheel/models/no-such-model/versions/1/bundle", null), 404,
				"RESOURCE_DOES_NOT_EXIST");
	}

	private String put(String path, byte[] content) {
		HttpResponse<byte[]> answer = sendBytes("PUT", PROXY + path, content);
		assertThat(answer.statusCode()).as("PUT %s: %s", path, new String(answer.body(), StandardCharsets.UTF_8))
			.isEqualTo(200);
		return new String(answer.body(), StandardCharsets.UTF_8);
	}

	/** The listing of a directory as name to "dir" or "file:<size>", in the order given. */
	private Map<String, String> listing(String dir) {
		HttpResponse<String> answer = send("GET", PROXY.substring(0, PROXY.length() - 1) + "?path=" + dir, null);
		assertThat(answer.statusCode()).as("list %s: %s", dir, answer.body()).isEqualTo(200);
		Map<String, String> entries = new LinkedHashMap<>();
		for (JsonNode file : json(answer.body()).path("files")) {
			boolean isDir = file.path("is_dir").asBoolean();
			assertThat(file.has("file_size")).as("file_size of %s", file).isEqualTo(!isDir);
			entries.put(file.path("path").asString(), isDir ? "dir" : "file:" + file.path("file_size").asLong());
		}
		return entries;
	}

	private HttpResponse<byte[]> conditionalGet(String path, String etag) {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("If-None-Match", etag).build(),
						HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<Path> uploads() throws IOException {
		try (Stream<Path> files = Files.list(UPLOADS)) {
			return files.toList();
		}
	}

	private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
			for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				assertThat(entries.put(entry.getName(), in.readAllBytes())).as("duplicate " + entry.getName()).isNull();
			}
		}
		return entries;
	}

	private static String unique() {
		return "t-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random().nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path realPath(Path path) {
		try {
			return path.toRealPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
