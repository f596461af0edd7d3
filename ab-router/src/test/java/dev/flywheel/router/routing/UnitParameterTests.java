package dev.flywheel.router.routing;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnitParameterTests {

	private static String unitOf(String body) {
		return UnitParameter.of(body.getBytes(StandardCharsets.UTF_8));
	}

	/** An OIP input tensor of {@code rows} rows of four numbers, with a {@code unit} of its own in its parameters. */
	private static String inputs(int rows) {
		StringBuilder data = new StringBuilder();
		for (int i = 0; i < rows * 4; i++) {
			data.append(i == 0 ? "" : ",").append(i * 0.5);
		}
		return "\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",4],\"datatype\":\"FP64\","
				+ "\"parameters\":{\"unit\":\"tensor-unit\",\"nested\":{\"unit\":\"deeper\"}},\"data\":[" + data + "]}]";
	}

	@Test
	void findsTheUnitBeforeOrAfterLargeInputs() {
		String large = inputs(10_000);

		assertThat(unitOf("{\"parameters\":{\"unit\":\"user-42\"}," + large + "}")).isEqualTo("user-42");
		assertThat(unitOf("{\"id\":\"r1\"," + large + ",\"parameters\":{\"unit\":\"user-42\"}}")).isEqualTo("user-42");
		assertThat(unitOf("{\"outputs\":[{\"name\":\"label\"}],\"parameters\":{\"variant\":\"a\",\"other\":{\"x\":[1,2]},"
				+ "\"unit\":\"user-42\"}}")).isEqualTo("user-42");
	}

	@Test
	void findsAUnitWhoseNameIsWrittenWithEscapes() {
		assertThat(unitOf("{\"parameters\":{\"\\u0075nit\":\"escaped\"}}")).isEqualTo("escaped");
		assertThat(unitOf("{\"\\u0070arameters\":{\"\\u0075\\u006e\\u0069\\u0074\":\"u-1\"}}")).isEqualTo("u-1");
	}

	@Test
	void takesANumericUnitAsItsText() {
		assertThat(unitOf("{\"parameters\":{\"unit\":42}}")).isEqualTo("42");
		assertThat(unitOf("{\"parameters\":{\"unit\":-7}}")).isEqualTo("-7");
	}

	@Test
	void ignoresAUnitNestedAnywhereButTheTopLevelParameters() {
		assertThat(unitOf("{" + inputs(2) + "}")).isNull();
		assertThat(unitOf("{\"unit\":\"top-level\"," + inputs(2) + "}")).isNull();
		assertThat(unitOf("{\"request\":{\"parameters\":{\"unit\":\"elsewhere\"}}}")).isNull();
		assertThat(unitOf("{\"parameters\":{\"extra\":{\"unit\":\"nested\"}}}")).isNull();
		assertThat(unitOf("{" + inputs(2) + ",\"parameters\":{\"unit\":\"mine\"}}")).isEqualTo("mine");
	}

	@Test
	void noUnitInAbsentOrEmptyStructures() {
		for (String body : new String[] { "{}", "{\"parameters\":{}}", "{\"parameters\":null}",
				"{\"parameters\":[]}", "{\"parameters\":\"unit\"}", "{\"parameters\":[{\"unit\":\"in-array\"}]}" }) {
			assertThat(unitOf(body)).as(body).isNull();
		}
		assertThat(UnitParameter.of(new byte[0])).isNull();
	}

	@Test
	void noUnitInABodyThatIsNotAJsonObject() {
		for (String body : new String[] { "[]", "[{\"parameters\":{\"unit\":\"u\"}}]", "\"u\"", "42", "null", "  " }) {
			assertThat(unitOf(body)).as(body).isNull();
		}
	}

	@Test
	void noUnitInMalformedJson() {
		for (String body : new String[] { "{", "{\"parameters\":", "{\"parameters\":{\"unit\":", "{parameters:{}}",
				"{\"inputs\":[1,2,,3],\"parameters\":{\"unit\":\"u\"}}", "not json" }) {
			assertThat(unitOf(body)).as(body).isNull();
		}
	}

	@Test
	void aNullOrObjectValuedUnitIsNoUnit() {
		assertThat(unitOf("{\"parameters\":{\"unit\":null}}")).isNull();
		assertThat(unitOf("{\"parameters\":{\"unit\":{\"id\":\"u\"}}}")).isNull();
		assertThat(unitOf("{\"parameters\":{\"unit\":[\"u\"]}}")).isNull();
	}

}
