package dev.flywheel.registry.search;

import java.util.List;

import dev.flywheel.registry.mlflow.MlflowException;

/**
 * One page of a search: what {@code max_results} and {@code page_token} asked for, and how to answer with the rows
 * read (one more than the page holds, to know whether another page follows).
 */
public record Page(long offset, int size) {

	public static Page of(Integer maxResults, String pageToken, int defaultSize, int maxSize) {
		int size = maxResults == null ? defaultSize : maxResults;
		if (size < 1 || size > maxSize) {
			throw MlflowException.invalid("Invalid value " + size + " for parameter 'max_results' supplied. It must be"
					+ " at most " + maxSize + " and at least 1.");
		}
		return new Page(PageToken.decode(pageToken), size);
	}

	/** The LIMIT/OFFSET clause reading one row beyond the page. */
	public String limitClause() {
		return " LIMIT " + (size + 1) + " OFFSET " + offset;
	}

	public <T> List<T> rows(List<T> read) {
		return read.size() > size ? read.subList(0, size) : read;
	}

	/** The token of the next page, or null on the last one. */
	public String nextToken(List<?> read) {
		return read.size() > size ? PageToken.encode(offset + size) : null;
	}

}
