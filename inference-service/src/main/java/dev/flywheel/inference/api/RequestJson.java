package dev.flywheel.inference.api;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.inference.serving.InferenceException;

/**
 * Reads request bodies as JSON trees. {@code NaN} and {@code Infinity} tokens are read as numbers on purpose, so that
 * the feature they stand in is named in the error ("only finite numbers are accepted") instead of a parser message.
 */
public final class RequestJson {

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

	private RequestJson() {
	}

	/** The body as JSON; a 400 naming the line and column when it is not JSON. */
	public static JsonNode parse(byte[] body) {
		if (body == null || body.length == 0) {
			throw InferenceException.badInput("The request has no body: send a JSON object");
		}
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			TokenStreamLocation at = ex.getLocation();
			String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
			throw InferenceException.badInput("The body is not valid JSON" + where + ": " + ex.getOriginalMessage());
		}
	}

	/** {@code node} as an object, or a 400 naming what was expected. */
	public static JsonNode object(JsonNode node, String what) {
		if (node == null || !node.isObject()) {
			throw InferenceException.badInput(what + " must be a JSON object" + got(node));
		}
		return node;
	}

	/** {@code node} as an array, or a 400 naming what was expected. */
	public static JsonNode array(JsonNode node, String what) {
		if (node == null || node.isMissingNode() || !node.isArray()) {
			throw InferenceException.badInput(what + " must be a JSON array" + got(node));
		}
		return node;
	}

	/** The string at {@code field} of {@code node}, or a 400. */
	public static String string(JsonNode node, String field, String what) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw InferenceException.badInput(what + " needs '" + field + "' as a string" + got(value));
		}
		return value.asString();
	}

	private static String got(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			return ", but it is missing";
		}
		String text = node.toString();
		return ", not " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
	}

}
