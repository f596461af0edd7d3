package dev.flywheel.router.routing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolTests {

	@Test
	void oipNamesTheVersionInThePathOrGoesToTheDefault() {
		assertThat(Protocol.OIP.path("digits", "3")).isEqualTo("/v2/models/digits/versions/3/infer");
		assertThat(Protocol.OIP.path("digits", null)).isEqualTo("/v2/models/digits/infer");
	}

	@Test
	void thePlainApiNamesTheVersionInTheQueryOrGoesToTheDefault() {
		assertThat(Protocol.PLAIN.path("digits", "3")).isEqualTo("/v1/models/digits:predict?version=3");
		assertThat(Protocol.PLAIN.path("digits", null)).isEqualTo("/v1/models/digits:predict");
	}

	@Test
	void scoringNamesModelAndVersionInTheQueryWhenGiven() {
		assertThat(Protocol.SCORING.path("digits", "3")).isEqualTo("/invocations?model=digits&version=3");
		assertThat(Protocol.SCORING.path("digits", null)).isEqualTo("/invocations?model=digits");
		assertThat(Protocol.SCORING.path(null, "3")).isEqualTo("/invocations?version=3");
		assertThat(Protocol.SCORING.path(null, null)).isEqualTo("/invocations");
	}

	@Test
	void oddNamesAndVersionsAreEncodedAsOneSegmentOrValue() {
		// registry names may hold spaces, slashes and colons
		assertThat(Protocol.OIP.path("fraud model", "v 1")).isEqualTo("/v2/models/fraud%20model/versions/v%201/infer");
		assertThat(Protocol.OIP.path("team/fraud", "a/b")).isEqualTo("/v2/models/team%2Ffraud/versions/a%2Fb/infer");
		assertThat(Protocol.PLAIN.path("team/fraud model", "1&x=2"))
			.isEqualTo("/v1/models/team%2Ffraud%20model:predict?version=1%26x%3D2");
		assertThat(Protocol.SCORING.path("a b&c=d", "1+2")).isEqualTo("/invocations?model=a%20b%26c%3Dd&version=1%2B2");
	}

	@Test
	void oipAndThePlainApiAnswerErrorsWithAnErrorField() {
		assertThat(Protocol.OIP.error(503, "no model")).isEqualTo(Map.of("error", "no model"));
		assertThat(Protocol.PLAIN.error(400, "bad input")).isEqualTo(Map.of("error", "bad input"));
	}

	@Test
	void scoringAnswersErrorsAsMlflowDoes() {
		assertThat(Protocol.SCORING.error(400, "bad input")).containsExactly(
				Map.entry("error_code", "INVALID_PARAMETER_VALUE"), Map.entry("message", "bad input"));
		assertThat(Protocol.SCORING.error(503, "later")).containsEntry("error_code", "TEMPORARILY_UNAVAILABLE");
		assertThat(Protocol.SCORING.error(500, "broken")).containsEntry("error_code", "INTERNAL_ERROR");
		assertThat(Protocol.SCORING.error(502, "upstream")).containsEntry("error_code", "INTERNAL_ERROR");
	}

}
