package dev.flywheel.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The bearer token management calls (registrations, alias moves, A/B test changes, retraining triggers) must carry
 * when {@code flywheel.security.token} is set: {@code Authorization: Bearer <token>}, compared in constant time. Each
 * service decides which of its calls are management calls and how it says no.
 */
public final class ManagementToken {

	/** What a request's credentials are worth. */
	public enum Check {

		/** No token is set, or the request carries it. */
		ACCEPTED,

		/** A token is set and the request carries no {@code Authorization} header. */
		MISSING,

		/** The request carries another token, or another scheme. */
		INVALID

	}

	/** The {@code WWW-Authenticate} value of an answer that refuses a call for its token. */
	public static final String CHALLENGE = "Bearer";

	private final byte[] expected;

	/** {@code token} null or blank: no token, every call is accepted. */
	public ManagementToken(String token) {
		this.expected = token == null || token.isBlank() ? null
				: ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
	}

	public boolean isSet() {
		return expected != null;
	}

	public Check check(ServerHttpRequest request) {
		if (expected == null) {
			return Check.ACCEPTED;
		}
		String given = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (given == null) {
			return Check.MISSING;
		}
		return MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8)) ? Check.ACCEPTED
				: Check.INVALID;
	}

}
