package dev.flywheel.inference.serving;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.flywheel.inference.support.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RowsBuilderTests {

	private static final FeatureSchema MIXED = new FeatureSchema(TestModels.MIXED);

	private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

	@Test
	void encodesNumbersAsTheyAreAndCategoriesOneHot() {
		RowsBuilder builder = MIXED.rows(2);
		builder.json(0, 0, JSON.numberNode(4.5));
		builder.json(0, 1, JSON.stringNode("wisley"));
		builder.text(1, 0, " 7 ");
		builder.text(1, 1, "kew");
		Rows rows = builder.build();
		assertThat(rows.encoded()).containsExactly(4.5f, 0, 1, 7, 1, 0);
		assertThat(rows.raw()[0]).containsExactly(4.5, "wisley");
	}

	@Test
	void acceptsTheLargestFloat() {
		RowsBuilder builder = MIXED.rows(1);
		builder.number(0, 0, -Float.MAX_VALUE);
		assertThat(builder.build().encoded()[0]).isEqualTo(-Float.MAX_VALUE);
	}

	@Test
	void refusesNumbersBeyondTheModelsFloats() {
		assertRefused(() -> MIXED.rows(2).number(1, 0, 1e300), "'size'", "row 1", "1.0E300", "range");
		assertRefused(() -> MIXED.rows(1).number(0, 0, -1e39), "'size'", "range");
		assertRefused(() -> MIXED.rows(1).text(0, 0, "1e300"), "'size'", "range");
	}

	@Test
	void refusesNonFiniteNumbers() {
		assertRefused(() -> MIXED.rows(1).number(0, 0, Double.NaN), "'size'", "finite");
		assertRefused(() -> MIXED.rows(1).json(0, 0, JSON.numberNode(Double.NEGATIVE_INFINITY)), "'size'", "finite");
		assertRefused(() -> MIXED.rows(1).text(0, 0, "Infinity"), "'size'", "finite");
	}

	@Test
	void refusesValuesThatDoNotFitTheirFeature() {
		assertRefused(() -> MIXED.rows(1).json(0, 0, JSON.stringNode("big")), "'size'", "number", "\"big\"");
		assertRefused(() -> MIXED.rows(1).json(0, 0, JSON.nullNode()), "'size'", "no value");
		assertRefused(() -> MIXED.rows(1).json(0, 1, JSON.stringNode("kensington")), "'garden'", "'kensington'",
				"[kew, wisley]");
		assertRefused(() -> MIXED.rows(1).json(0, 1, JSON.numberNode(1.5)), "'garden'", "1.5");
		assertRefused(() -> MIXED.rows(1).json(0, 1, JSON.arrayNode()), "'garden'", "array");
		assertRefused(() -> MIXED.rows(1).number(0, 1, 1), "'garden'", "categorical");
	}

	private static void assertRefused(Runnable action, String... named) {
		assertThatExceptionOfType(InferenceException.class).isThrownBy(action::run)
			.satisfies(ex -> assertThat(ex.status().value()).isEqualTo(400))
			.satisfies(ex -> assertThat(ex.getMessage()).contains(named));
	}

}
