package dev.flywheel.registry.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.mlflow.tracking.MlflowClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.flywheel.registry.RegistryApplication;

/**
 * A registry on a random port, with the official MLflow Java client pointed at it and a plain HTTP client for the
 * calls that client cannot make (DELETE, raw bodies). Subclasses choose the database with a
 * {@code @DynamicPropertySource} calling {@link TestDatabases}.
 */
@SpringBootTest(classes = RegistryApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
public abstract class RegistryTestSupport {

	@LocalServerPort
	protected int port;

	/**
	 * A new client, so a new connection, for every request. Reactor Netty 1.3.6 can stop reading a keep-alive
	 * connection when a request queued behind a response written from another thread completes at once
	 * (reactor/reactor-netty#4361, fixed after 1.3.6): the request after it then waits until the client gives up.
	 */
	private static HttpClient http() {
		return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	}

	protected String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	protected MlflowClient mlflow() {
		return new MlflowClient(baseUrl());
	}

	/** Sends a request with a JSON (or any) body and returns status and body. */
	protected HttpResponse<String> send(String method, String path, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return http().send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
	}

	protected HttpResponse<byte[]> sendBytes(String method, String path, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			return http().send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (Exception ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
	}

}
