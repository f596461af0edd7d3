package dev.flywheel.inference.system;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class JsonConfigurationTests {

	@Test
	void answersWriteFloatsAsTheShortestTextThatReadsBackAsThem() {
		JsonMapper.Builder builder = JsonMapper.builder();
		new JsonConfiguration().fastFloatWriting().customize(builder);

		// JDK 17's Float.toString writes "2.82879379E17": one digit more than the float needs
		assertThat(builder.build().writeValueAsString(Map.of("p", new float[] { 2.8287938E17f, 0.1f })))
			.isEqualTo("{\"p\":[2.8287938E17,0.1]}");
	}

}
