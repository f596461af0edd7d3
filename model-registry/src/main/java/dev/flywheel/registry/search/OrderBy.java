package dev.flywheel.registry.search;

import java.util.List;
import java.util.Locale;

import dev.flywheel.registry.mlflow.MlflowException;

/**
 * One {@code order_by} clause such as {@code metrics.acc DESC} or {@code start_time}: what it sorts on and in which
 * direction (ascending unless it says DESC).
 */
public record OrderBy(String type, String key, boolean ascending) {

	public static List<OrderBy> parseAll(List<String> clauses) {
		return clauses.stream().filter(c -> !c.isBlank()).map(OrderBy::parse).toList();
	}

	public static OrderBy parse(String clause) {
		String text = clause.trim();
		boolean ascending = true;
		String upper = text.toUpperCase(Locale.ROOT);
		if (upper.endsWith(" DESC")) {
			ascending = false;
			text = text.substring(0, text.length() - 5).trim();
		}
		else if (upper.endsWith(" ASC")) {
			text = text.substring(0, text.length() - 4).trim();
		}
		if (text.isEmpty()) {
			throw MlflowException.invalid("Invalid order_by clause '" + clause + "'");
		}
		List<Comparison> parsed;
		try {
			parsed = FilterParser.parse(text + " IS NULL");
		}
		catch (MlflowException ex) {
			parsed = List.of();
		}
		if (parsed.size() != 1) {
			throw MlflowException.invalid("Invalid order_by clause '" + clause
					+ "': expected a key such as metrics.acc or start_time, then ASC or DESC");
		}
		return new OrderBy(parsed.get(0).type(), parsed.get(0).key(), ascending);
	}

	public String direction() {
		return ascending ? "ASC" : "DESC";
	}

}
