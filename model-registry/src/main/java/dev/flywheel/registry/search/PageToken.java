package dev.flywheel.registry.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.flywheel.registry.mlflow.MlflowException;

/** MLflow's opaque {@code page_token}: here the offset of the next page, encoded. */
public final class PageToken {

	private static final String PREFIX = "offset:";

	private PageToken() {
	}

	public static String encode(long offset) {
		return Base64.getUrlEncoder().withoutPadding()
			.encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
	}

	/** The offset a token stands for; no token or an empty one starts at 0. */
	public static long decode(String token) {
		if (token == null || token.isEmpty()) {
			return 0;
		}
		try {
			String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
			if (text.startsWith(PREFIX)) {
				long offset = Long.parseLong(text.substring(PREFIX.length()));
				if (offset >= 0) {
					return offset;
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw MlflowException.invalid("Invalid page token '" + token + "'");
	}

}
