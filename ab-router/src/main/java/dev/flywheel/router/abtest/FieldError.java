package dev.flywheel.router.abtest;

/** One thing wrong with a request, with the JSON path of the field at fault ({@code variants[1].weight}). */
public record FieldError(String field, String message) {

	@Override
	public String toString() {
		return field + ": " + message;
	}

}
