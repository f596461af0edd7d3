package dev.flywheel.router.routing;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.flywheel.router.system.RouterProperties;

/**
 * Calls the inference service ({@code flywheel.inference.url}) over a pool of at most
 * {@code flywheel.inference.connections} kept-alive connections, each call bounded by {@code flywheel.inference.timeout}.
 * Any answer the service gives is returned as it is; only a service that cannot be reached or does not answer in time
 * fails, with {@link InferenceUnavailableException}.
 */
@Component
class InferenceClient implements DisposableBean {

	private static final byte[] EMPTY = new byte[0];

	private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

	private final WebClient web;

	private final ConnectionProvider connections;

	private final Duration timeout;

	private final String baseUrl;

	InferenceClient(RouterProperties properties) {
		this.baseUrl = properties.inference().url().toString().replaceAll("/+$", "");
		this.timeout = properties.inference().timeout();
		this.connections = ConnectionProvider.builder("inference")
			.maxConnections(properties.inference().connections())
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		HttpClient http = HttpClient.create(connections).responseTimeout(timeout);
		this.web = WebClient.builder()
			.baseUrl(baseUrl)
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
			.build();
	}

	/** POSTs {@code body} to {@code path} (with its query), naming the variant in {@code X-Flywheel-Variant}. */
	Mono<InferenceAnswer> post(String path, byte[] body, String contentType, String variant) {
		return web.post()
			.uri(URI.create(baseUrl + path))
			.headers(headers -> {
				if (contentType != null) {
					headers.set(HttpHeaders.CONTENT_TYPE, contentType);
				}
				if (variant != null) {
					headers.set(PredictionRouter.VARIANT_HEADER, variant);
				}
			})
			.bodyValue(body)
			.exchangeToMono(this::answer)
			.timeout(timeout)
			.onErrorMap(ex -> !(ex instanceof InferenceUnavailableException), this::unavailable);
	}

	/** GETs {@code path} (with its query). */
	Mono<InferenceAnswer> get(String path) {
		return web.get()
			.uri(URI.create(baseUrl + path))
			.exchangeToMono(this::answer)
			.timeout(timeout)
			.onErrorMap(ex -> !(ex instanceof InferenceUnavailableException), this::unavailable);
	}

	private Mono<InferenceAnswer> answer(org.springframework.web.reactive.function.client.ClientResponse response) {
		HttpHeaders headers = response.headers().asHttpHeaders();
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(EMPTY)
			.map(body -> new InferenceAnswer(response.statusCode().value(), headers.getFirst(HttpHeaders.CONTENT_TYPE),
					headers.getFirst(HttpHeaders.RETRY_AFTER), body));
	}

	private InferenceUnavailableException unavailable(Throwable ex) {
		boolean timedOut = ex instanceof TimeoutException
				|| ex.getCause() instanceof io.netty.handler.timeout.ReadTimeoutException
				|| String.valueOf(ex.getMessage()).contains("timeout");
		String message = timedOut ? "The inference service at " + baseUrl + " did not answer within " + timeout
				: "The inference service at " + baseUrl + " cannot be reached (" + rootMessage(ex) + ")";
		return new InferenceUnavailableException(message, timedOut, ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
	}

	@Override
	public void destroy() {
		connections.dispose();
	}

}
