package dev.flywheel.registry.search;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.flywheel.registry.mlflow.MlflowException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterParserTests {

	@Test
	void parsesComparisonsJoinedByAnd() {
		List<Comparison> clauses = FilterParser
			.parse("metrics.acc > 0.9 and params.lr = '0.01' AND tags.`mlflow.user` LIKE 'a%' and status != 'FAILED'");
		assertThat(clauses).containsExactly(new Comparison("metric", "acc", ">", 0.9),
				new Comparison("param", "lr", "=", "0.01"), new Comparison("tag", "mlflow.user", "LIKE", "a%"),
				new Comparison("attribute", "status", "!=", "FAILED"));
	}

	@Test
	void parsesListsNullTestsAndQuotedKeys() {
		assertThat(FilterParser.parse("attributes.run_id NOT IN ('a', \"b\")"))
			.containsExactly(new Comparison("attribute", "run_id", "NOT IN", List.of("a", "b")));
		assertThat(FilterParser.parse("tags.\"my key\" IS NOT NULL"))
			.containsExactly(new Comparison("tag", "my key", "IS NOT NULL", null));
		assertThat(FilterParser.parse("metric.loss <= -1.5e-3"))
			.containsExactly(new Comparison("metric", "loss", "<=", -1.5e-3));
		assertThat(FilterParser.parse("name ILIKE '%Fraud%'"))
			.containsExactly(new Comparison("attribute", "name", "ILIKE", "%Fraud%"));
	}

	@Test
	void emptyFilterHasNoClauses() {
		assertThat(FilterParser.parse("  ")).isEmpty();
		assertThat(FilterParser.parse(null)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "metrics.acc >", "foo.bar = 1", "metrics.acc > 1 or metrics.acc < 0", "name = 'x",
			"a IN 'x'", "metrics.acc ~ 1", "= 1", "params.lr = 'a' extra" })
	void rejectsWhatIsNotTheLanguage(String filter) {
		assertThatThrownBy(() -> FilterParser.parse(filter)).isInstanceOf(MlflowException.class)
			.hasMessageStartingWith("Invalid filter");
	}

	@Test
	void parsesOrderByClauses() {
		assertThat(OrderBy.parseAll(List.of("metrics.acc DESC", "start_time", "tags.`a b` asc")))
			.containsExactly(new OrderBy("metric", "acc", false), new OrderBy("attribute", "start_time", true),
					new OrderBy("tag", "a b", true));
	}

	@Test
	void pageTokensRoundTripAndRejectForgeries() {
		assertThat(PageToken.decode(PageToken.encode(1234))).isEqualTo(1234);
		assertThat(PageToken.decode("")).isZero();
		assertThatThrownBy(() -> PageToken.decode("not-a-token")).isInstanceOf(MlflowException.class);
	}

}
