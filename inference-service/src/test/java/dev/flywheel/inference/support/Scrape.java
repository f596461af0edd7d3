package dev.flywheel.inference.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus} in the Prometheus text format, read sample by sample: a sample matches
 * when it has the name and at least the labels asked for.
 */
public final class Scrape {

	private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** One line of the exposition. */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

	private final String text;

	private final List<Sample> samples = new ArrayList<>();

	private Scrape(String text) {
		this.text = text;
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher matcher = SAMPLE.matcher(line.trim());
			if (!matcher.matches()) {
				throw new AssertionError("Not a Prometheus sample line: " + line);
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (matcher.group(2) != null) {
				Matcher label = LABEL.matcher(matcher.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
		}
	}

	/** Scrapes {@code server} now, asking for the classic text format (what {@code promtool} reads). */
	public static Scrape of(InferenceServer server) {
		String text = server.client()
			.mutate()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build()
			.get()
			.uri("/actuator/prometheus")
			.header("Accept", "text/plain")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return new Scrape(text);
	}

	public String text() {
		return text;
	}

	/** Every sample named {@code name} that carries {@code labels} (and maybe others). */
	public List<Sample> samples(String name, Map<String, String> labels) {
		return samples.stream()
			.filter(sample -> sample.name().equals(name))
			.filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/** The value of the one sample named {@code name} with {@code labels}; fails when there is none or several. */
	public double value(String name, Map<String, String> labels) {
		List<Sample> found = samples(name, labels);
		if (found.size() != 1) {
			throw new AssertionError("Expected one sample " + name + labels + " but found " + found.size() + "; the "
					+ name + " samples are " + samples(name, Map.of()));
		}
		return found.get(0).value();
	}

	/** Like {@link #value}, but 0 when the meter was never registered (as counters are only on first use). */
	public double valueOrZero(String name, Map<String, String> labels) {
		return samples(name, labels).isEmpty() ? 0 : value(name, labels);
	}

	public static double valueOrZero(InferenceServer server, String name, Map<String, String> labels) {
		return of(server).valueOrZero(name, labels);
	}

}
