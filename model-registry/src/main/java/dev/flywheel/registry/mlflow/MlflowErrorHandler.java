package dev.flywheel.registry.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

import dev.flywheel.support.ManagementToken;

/**
 * The one place where failures become HTTP answers on the registry's APIs ({@code /api/**}, {@code /ajax-api/**}):
 * MLflow's error JSON with MLflow's status mapping, so MLflow clients can read every error. A client's mistake is
 * logged at debug, anything unexpected once at error with its stack, and no answer ever carries a stack trace.
 */
@Component
@Order(-2)
class MlflowErrorHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(MlflowErrorHandler.class);

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		String path = exchange.getRequest().getPath().value();
		ServerHttpResponse response = exchange.getResponse();
		if (!(path.startsWith("/api/") || path.startsWith("/ajax-api/")) || response.isCommitted()) {
			return Mono.error(ex);
		}
		if (isClientGone(ex)) {
			logger.debug("{} {}: the client went away: {}", exchange.getRequest().getMethod(), path, ex.toString());
			return Mono.empty();
		}
		MlflowException error = translate(ex, exchange);
		if (error.errorCode() == ErrorCode.INTERNAL_ERROR) {
			logger.error("Unexpected error on {} {}", exchange.getRequest().getMethod(), path, ex);
		}
		else if (error.errorCode() == ErrorCode.TEMPORARILY_UNAVAILABLE) {
			logger.warn("{} {} answered 503: {}", exchange.getRequest().getMethod(), path, ex.toString());
		}
		else {
			logger.debug("{} {} answered {}: {}", exchange.getRequest().getMethod(), path, error.status().value(),
					error.getMessage());
		}
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error_code", error.errorCode().name());
		body.put("message", error.getMessage());
		byte[] bytes = json.writeValueAsBytes(body);
		response.setStatusCode(error.status());
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.setContentLength(bytes.length);
		headers.remove(HttpHeaders.CONTENT_DISPOSITION);
		headers.remove(HttpHeaders.ETAG);
		if (error.errorCode() == ErrorCode.UNAUTHENTICATED) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, ManagementToken.CHALLENGE);
		}
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

	/** The connection closed under the request, such as an upload cut off mid-body: nobody is left to answer. */
	private static boolean isClientGone(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String type = cause.getClass().getSimpleName();
			if (type.equals("AbortedException") || type.equals("PrematureCloseException")
					|| cause instanceof java.nio.channels.ClosedChannelException) {
				return true;
			}
		}
		return false;
	}

	private static MlflowException translate(Throwable ex, ServerWebExchange exchange) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof MlflowException mlflow) {
				return mlflow;
			}
			if (cause instanceof DataBufferLimitException) {
				return new MlflowException(ErrorCode.BAD_REQUEST, HttpStatus.CONTENT_TOO_LARGE,
						"Request body exceeds the size limit: " + cause.getMessage());
			}
		}
		if (ex instanceof DataAccessResourceFailureException || ex instanceof TimeoutException) {
			return new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE,
					"The registry's database cannot be reached; try again later");
		}
		if (ex instanceof MethodNotAllowedException notAllowed) {
			return new MlflowException(ErrorCode.BAD_REQUEST, HttpStatus.METHOD_NOT_ALLOWED,
					"Method " + notAllowed.getHttpMethod() + " is not allowed on "
							+ exchange.getRequest().getPath().value() + "; allowed: "
							+ notAllowed.getSupportedMethods());
		}
		if (ex instanceof UnsupportedMediaTypeStatusException unsupported) {
			return new MlflowException(ErrorCode.BAD_REQUEST, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Unsupported content type " + unsupported.getContentType());
		}
		if (ex instanceof ServerWebInputException input) {
			return MlflowException.invalid("Invalid request: " + input.getReason());
		}
		if (ex instanceof ResponseStatusException status) {
			if (status.getStatusCode().value() == 404) {
				return new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint "
						+ exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value());
			}
			if (status.getStatusCode().is4xxClientError()) {
				return new MlflowException(ErrorCode.BAD_REQUEST, HttpStatus.valueOf(status.getStatusCode().value()),
						String.valueOf(status.getReason()));
			}
		}
		return new MlflowException(ErrorCode.INTERNAL_ERROR, "Internal error; the registry's log has the details");
	}

}
